/** How the function is shipped to Lambda. */
export interface Packaging {
  readonly id: 'zip' | 'image';
  readonly description: string;
}

export const packagings: readonly Packaging[] = [
  { id: 'zip', description: 'a .zip with the executable at its root (mode 0755)' },
  { id: 'image', description: 'a container image on the Lambda base image' },
];

export const defaultPackaging = 'zip';
