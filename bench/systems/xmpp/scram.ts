import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

const hmac = (key: Buffer, data: string): Buffer => createHmac('sha1', key).update(data).digest();

/** SaltedPassword cache: a SCRAM client may keep it (RFC 5802 §5.1), saving PBKDF2 on re-login. */
const saltedCache = new Map<string, Buffer>();

export function escapeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** Client side of SCRAM-SHA-1 (RFC 5802), without channel binding. */
export class ScramSha1 {
  private readonly nonce = randomBytes(18).toString('base64');
  private readonly clientFirstBare: string;
  private expectedServerSignature: Buffer | undefined;

  constructor(
    username: string,
    private readonly password: string,
  ) {
    this.clientFirstBare = `n=${escapeSaslName(username)},r=${this.nonce}`;
  }

  /** Base64 initial response. */
  first(): string {
    return Buffer.from(`n,,${this.clientFirstBare}`).toString('base64');
  }

  /** Base64 client-final message for the server's base64 challenge. */
  final(challengeB64: string): string {
    const serverFirst = Buffer.from(challengeB64, 'base64').toString('utf8');
    const attrs = new Map(
      serverFirst.split(',').map((kv) => [kv.slice(0, 1), kv.slice(2)] as const),
    );
    const serverNonce = attrs.get('r') ?? '';
    const salt = attrs.get('s') ?? '';
    const iterations = Number(attrs.get('i') ?? '0');
    if (!serverNonce.startsWith(this.nonce) || salt === '' || !(iterations > 0))
      throw new Error(`bad SCRAM challenge: ${serverFirst}`);
    const cacheKey = `${this.password}\u0000${salt}\u0000${iterations}`;
    let salted = saltedCache.get(cacheKey);
    if (salted === undefined) {
      salted = pbkdf2Sync(this.password, Buffer.from(salt, 'base64'), iterations, 20, 'sha1');
      saltedCache.set(cacheKey, salted);
    }
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash('sha1').update(clientKey).digest();
    const finalNoProof = `c=biws,r=${serverNonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${finalNoProof}`;
    const signature = hmac(storedKey, authMessage);
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < proof.length; i += 1) proof[i] = (clientKey[i] ?? 0) ^ (signature[i] ?? 0);
    this.expectedServerSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return Buffer.from(`${finalNoProof},p=${proof.toString('base64')}`).toString('base64');
  }

  /** Checks the server signature carried by <success/>. */
  verify(successB64: string): void {
    const text = Buffer.from(successB64, 'base64').toString('utf8');
    const match = /v=([^,]+)/.exec(text);
    const got = Buffer.from(match?.[1] ?? '', 'base64');
    const want = this.expectedServerSignature;
    if (want === undefined || got.length !== want.length || !timingSafeEqual(got, want))
      throw new Error('SCRAM server signature mismatch');
  }
}
