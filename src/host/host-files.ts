// Host exchange on the page (issue 4): files dropped onto the page, directories included,
// are imported into the store under `home/`; `download` saves a store directory (or a
// snapshot of it) as a .tar. Layer: host. Dropped files are the user's own; what the
// store returns is bytes only, saved under a name the page picks.
import type { FilesApi, HostFile } from '../abi/automation.ts';
import { encodeTar, normalizeTarPath, type TarMember } from '../abi/tar.ts';

/** Where dropped files land in the store. */
export const DROP_DIR = 'home';

interface Picked {
  readonly path: string;
  readonly file: HostFile | null;
}

/** Every file and directory under a dropped entry, parents first. */
async function walk(entry: FileSystemEntry, prefix: string, out: Picked[]): Promise<void> {
  const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    out.push({ path, file });
    return;
  }
  out.push({ path, file: null });
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, path, out);
  }
}

/** A tar of the picked files (mtimes kept). */
export async function tarOf(picked: readonly Picked[]): Promise<Uint8Array> {
  const members: TarMember[] = [];
  for (const p of picked) {
    const path = normalizeTarPath(p.path);
    if (!path.ok) throw new Error(path.error.message);
    const base = { path: path.value, target: '' };
    members.push(
      p.file === null
        ? { header: { ...base, kind: 'dir', mode: 0o755, mtime: Date.now() } }
        : {
            header: { ...base, kind: 'file', mode: 0o644, mtime: p.file.lastModified },
            data: new Uint8Array(await p.file.arrayBuffer()),
          },
    );
  }
  return encodeTar(members);
}

/** Imports `files` (File objects from an input or a drop) under `home/`. */
export async function importFiles(api: FilesApi, files: Iterable<HostFile>): Promise<string> {
  return api.import(DROP_DIR, await tarOf([...files].map((file) => ({ path: file.name, file }))));
}

/** Saves the store directory `path` (or a snapshot of it) as a .tar download. */
export async function download(api: FilesApi, path: string, snapshot?: string): Promise<void> {
  const tar = await api.export(path, snapshot);
  const url = URL.createObjectURL(new Blob([tar as Uint8Array<ArrayBuffer>], { type: 'application/x-tar' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${(path.split('/').filter(Boolean).pop() ?? 'store') + (snapshot ? `@${snapshot}` : '')}.tar`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Lets the user drop files and directories anywhere on the page; `done` hears how it went. */
export function acceptDrops(api: FilesApi, done: (message: string, ok: boolean) => void): void {
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    // Read the items now: a DataTransfer is emptied once the event is over.
    const items = [...(e.dataTransfer?.items ?? [])]
      .filter((i) => i.kind === 'file')
      .map((i) => ({ entry: i.webkitGetAsEntry(), file: i.getAsFile() }));
    void (async () => {
      const picked: Picked[] = [];
      for (const { entry, file } of items)
        if (entry) await walk(entry, '', picked);
        else if (file) picked.push({ path: file.name, file });
      return api.import(DROP_DIR, await tarOf(picked));
    })().then(
      (summary) => done(summary, true),
      (error: unknown) => done(error instanceof Error ? error.message : String(error), false),
    );
  });
}
