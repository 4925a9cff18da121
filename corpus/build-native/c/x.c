/* The bundled native code: one function, so the example stays readable. */
int corpus_x_add(int a, int b) {
    return a + b;
}
