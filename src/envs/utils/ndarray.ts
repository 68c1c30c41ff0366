/**
 * A numpy-like array of any number of dimensions: flat row-major data and a
 * shape. Environments answer 1-d arrays as typed arrays; this carries the rest
 * (a vector environment's batched infos, the API's canonical values).
 */
export class NDArray {
  constructor(
    readonly data: ArrayLike<number>,
    readonly shape: readonly number[],
  ) {}
}
