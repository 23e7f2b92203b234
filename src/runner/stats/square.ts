// x², as a product. JavaScript engines may compute `x ** 2` differently in the last bit (V8 has changed its pow), and
// reports must be the same to the byte wherever they are made; a product is exact IEEE arithmetic everywhere.
export function sq(x: number): number {
    return x * x;
}
