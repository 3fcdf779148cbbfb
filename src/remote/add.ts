// `lxtop remote add NAME https://HOST:PORT`: read and confirm the server certificate, make the
// server trust lxtop's client certificate (token or trust password), check `auth: trusted`, then
// pin the certificate and record the remote. Files are written only when every step succeeded.
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  findRemote,
  loadConfig,
  lxtopSource,
  serverCertFile,
  withRemote,
  writeAllOrNothing,
  type FileWrite,
} from '../config/index.js';
import type { AddArgs } from './args.js';
import { clientCertFiles, generateClientCertificate, readClientCertificate, type ClientCertificate } from './client-cert.js';
import { HttpsClient, ServerError } from './https.js';
import type { RemoteIo } from './io.js';
import { fetchServerCertificate, fingerprintPem, type PresentedCertificate } from './tls.js';

export class AddError extends Error {
  override name = 'AddError';
}

interface ServerRoot {
  auth?: string;
  api_extensions?: string[];
  environment?: { server?: string; server_version?: string; server_name?: string };
}

/** The server fingerprint a trust token names, when the token is the base64 JSON lxc/incus make. */
export function tokenFingerprint(token: string): string | null {
  try {
    const json = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { fingerprint?: unknown };
    return typeof json.fingerprint === 'string' && json.fingerprint.length > 0 ? json.fingerprint.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * The POST /1.0/certificates body. Servers with `explicit_trust_token` (LXD >= 6.1) take a token as
 * `trust_token` only. Otherwise a token goes in both fields: LXD 5 reads it from `password`
 * (certificate_token era), Incus 6.0 from `trust_token` without advertising explicit_trust_token,
 * and each ignores the field it does not know. A trust password goes in `password` only.
 */
export function trustRequest(extensions: string[], secret: { token?: string; password?: string }, name: string): Record<string, unknown> {
  if (secret.token !== undefined) {
    if (extensions.includes('explicit_trust_token')) return { type: 'client', trust_token: secret.token };
    return { type: 'client', password: secret.token, trust_token: secret.token };
  }
  return { type: 'client', password: secret.password ?? '', name };
}

async function confirmCertificate(a: AddArgs, cert: PresentedCertificate, io: RemoteIo): Promise<void> {
  io.out(`Certificate fingerprint: ${cert.fingerprint}\n`);
  const fromToken = a.token ? tokenFingerprint(a.token) : null;
  if (fromToken !== null) {
    if (fromToken !== cert.fingerprint) {
      throw new AddError(
        `the token was issued by a server with certificate ${fromToken}, but ${a.url} presents ${cert.fingerprint}; refusing to continue`,
      );
    }
    io.out('The token names this same certificate.\n');
  }
  if (a.acceptCertificate) return;
  if (!io.interactive) {
    throw new AddError('not on a terminal: check the fingerprint above, then run again with --accept-certificate to trust it');
  }
  if (!(await io.confirm('ok (y/N)? '))) throw new AddError('certificate not accepted');
}

export async function addRemote(a: AddArgs, io: RemoteIo): Promise<void> {
  const src = lxtopSource(io.env);
  // Local checks first, so a doomed add never bothers the server.
  const existing = findRemote(loadConfig({ env: io.env }), a.name);
  if (existing?.source === 'lxtop') {
    throw new AddError(`remote "${a.name}" already exists in ${existing.file} (lxtop remote remove ${a.name} first)`);
  }
  withRemote(src.file, a.name, { addr: a.url, protocol: 'lxd' }); // throws when the file does not parse
  let client: ClientCertificate | null = readClientCertificate(src.dir);
  const generated = client === null;

  const cert = await fetchServerCertificate(a.url);
  await confirmCertificate(a, cert, io);

  if (client === null) client = await generateClientCertificate();
  const clientFp = fingerprintPem(client.cert);
  const https = new HttpsClient({ url: a.url, remote: a.name, cert: client.cert, key: client.key, serverCert: cert.pem });
  let trustedByUs = false;
  try {
    let root = await https.call<ServerRoot>('GET', '/1.0');
    if (root.auth === 'trusted') {
      io.out('The server already trusts this client certificate.\n');
    } else {
      let secret: { token?: string; password?: string } = { token: a.token, password: a.password };
      if (a.token === undefined && a.password === undefined) {
        if (!io.interactive) throw new AddError('the server does not trust this client yet: pass --token T or --password P');
        const typed = await io.secret(`Trust token or password for ${a.name}: `);
        if (typed.length === 0) throw new AddError('no token or password given');
        // A token is base64 JSON naming the server; anything else is a trust password.
        secret = tokenFingerprint(typed) !== null ? { token: typed } : { password: typed };
      }
      const body = trustRequest(root.api_extensions ?? [], secret, `lxtop@${hostname()}`);
      try {
        const res = await https.send('POST', '/1.0/certificates', body);
        trustedByUs = true;
        if (res.type === 'async' && res.operation) await https.wait(res.operation);
      } catch (err) {
        if (err instanceof ServerError) throw new AddError(`the server refused to trust this client: ${err.message}`);
        throw err;
      }
      root = await https.call<ServerRoot>('GET', '/1.0');
      if (root.auth !== 'trusted') {
        throw new AddError(`the server accepted the request but still reports auth: ${root.auth ?? 'unknown'}`);
      }
    }
    if (a.project !== undefined) {
      try {
        await https.call('GET', `/1.0/projects/${encodeURIComponent(a.project)}`);
      } catch (err) {
        if (err instanceof ServerError) throw new AddError(`project "${a.project}": ${err.message}`);
        throw err;
      }
    }
    const kind = root.environment?.server === 'incus' ? 'incus' : 'lxd';
    const version = root.environment?.server_version ?? '';

    const files: FileWrite[] = [
      { path: src.file, content: withRemote(src.file, a.name, { addr: a.url, protocol: kind, project: a.project }), mode: 0o644 },
      { path: serverCertFile(src.dir, a.name), content: cert.pem, mode: 0o644 },
    ];
    if (generated) {
      const { certFile, keyFile } = clientCertFiles(src.dir);
      files.push({ path: certFile, content: client.cert, mode: 0o644 }, { path: keyFile, content: client.key, mode: 0o600 });
    }
    writeAllOrNothing(files);
    trustedByUs = false; // kept: the remote is recorded
    if (generated) io.out(`Generated lxtop's client certificate ${join(src.dir, 'client.crt')} (fingerprint ${clientFp})\n`);
    io.out(
      `Remote ${a.name} added: ${a.url} (${kind === 'incus' ? 'Incus' : 'LXD'} ${version}, project ${a.project ?? 'default'}), pinned in ${serverCertFile(src.dir, a.name)}\n`,
    );
    if (existing) io.out(`Note: it shadows remote "${a.name}" of ${existing.file}.\n`);
    io.out(`Use it with: lxtop ${a.name}:  (or make it the default: lxtop remote switch ${a.name})\n`);
  } finally {
    if (trustedByUs) {
      // A later step failed: take back the trust this run granted, so nothing is left half-done.
      await https.call('DELETE', `/1.0/certificates/${clientFp}`).catch(() => undefined);
    }
    await https.close();
  }
}
