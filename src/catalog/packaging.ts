/** How the function is shipped to Lambda. */
export interface Packaging {
  readonly id: 'zip' | 'image';
  readonly description: string;
  /** SAM `PackageType`. */
  readonly samPackageType: 'Zip' | 'Image';
}

export const packagings: readonly Packaging[] = [
  { id: 'zip', description: 'a .zip with the executable at its root (mode 0755)', samPackageType: 'Zip' },
  { id: 'image', description: 'a container image on the Lambda base image', samPackageType: 'Image' },
];

export const defaultPackaging = 'zip';
