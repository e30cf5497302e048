/** Hashes and verifies passwords; chosen by config so an operator can swap the algorithm. */
export interface PasswordHasher {
  readonly id: string;
  hash(password: string): Promise<string>;
  verify(encoded: string, password: string): Promise<boolean>;
}
