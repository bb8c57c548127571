// The fake's signing keys, from fixtures/keys/ (test keys, committed on purpose, not secrets).
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, importPKCS8, importX509, type CryptoKey, type JWK } from 'jose';
import { FIXTURES_DIR } from './fixtures.ts';

export interface SigningKeys {
  /** Key id, as Google's 40-hex-digit kids. */
  kid: string;
  certPem: string;
  publicJwk: JWK;
  signing: CryptoKey;
  /** Signs with the same kid, but the certs do not list this key. */
  forger: CryptoKey;
  /** A kid the certs do not list (the forger key's own), for a token signed by an unknown key id. */
  forgerKid: string;
}

export async function loadSigningKeys(dir = join(FIXTURES_DIR, 'keys')): Promise<SigningKeys> {
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const certPem = read('test-signing-cert.pem');
  const kid = createHash('sha1').update(new X509Certificate(certPem).raw).digest('hex');
  const publicJwk = await exportJWK(await importX509(certPem, 'RS256', { extractable: true }));
  return {
    kid,
    certPem,
    publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' },
    signing: await importPKCS8(read('test-signing-key.pem'), 'RS256'),
    forger: await importPKCS8(read('forger-key.pem'), 'RS256'),
    forgerKid: createHash('sha1').update(read('forger-key.pem')).digest('hex'),
  };
}
