// Measures candidate hashes for the fs store's chunk keys (docs/adr/0007-fs-store-format.md).
// Run: node scripts/fs-measure-hash.mjs. WebCrypto is always measured; @noble/hashes and
// hash-wasm are measured when installed (they are not dependencies: `npm i --no-save` them).
const MiB = 1024 * 1024;
const TOTAL = 64 * MiB;
const data = new Uint8Array(TOTAL);
for (let i = 0; i < TOTAL; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));

async function time(label, chunk, fn) {
  await fn(data.subarray(0, chunk)); // warm-up
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (let at = 0; at < TOTAL; at += chunk) await fn(data.subarray(at, at + chunk));
    best = Math.min(best, performance.now() - t0);
  }
  console.log(
    `${label.padEnd(28)} ${String(chunk / 1024).padStart(5)} KiB  ${(TOTAL / MiB / (best / 1000)).toFixed(0).padStart(6)} MiB/s`,
  );
}

async function optional(name) {
  try {
    return await import(name);
  } catch {
    console.log(`(${name} not installed: skipped)`);
    return null;
  }
}

const noble = await optional('@noble/hashes/sha2.js');
const nobleBlake3 = await optional('@noble/hashes/blake3.js');
const wasm = await optional('hash-wasm');
const wasmSha = wasm ? await wasm.createSHA256() : null;
const wasmBlake3 = wasm ? await wasm.createBLAKE3() : null;
const { createHash } = await import('node:crypto');

for (const chunk of [4 * 1024, 64 * 1024, 1024 * 1024]) {
  await time('webcrypto sha256 (await)', chunk, (b) => crypto.subtle.digest('SHA-256', b));
  await time('node:crypto sha256', chunk, (b) => createHash('sha256').update(b).digest());
  if (noble) await time('@noble/hashes sha256', chunk, (b) => noble.sha256(b));
  if (nobleBlake3) await time('@noble/hashes blake3', chunk, (b) => nobleBlake3.blake3(b));
  if (wasmSha) await time('hash-wasm sha256', chunk, (b) => wasmSha.init().update(b).digest('binary'));
  if (wasmBlake3) await time('hash-wasm blake3', chunk, (b) => wasmBlake3.init().update(b).digest('binary'));
}
