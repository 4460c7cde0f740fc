/** What saving a file needs from the browser (tests pass their own). */
export interface SaveEnv {
  createObjectURL(blob: Blob): string;
  revokeObjectURL(url: string): void;
  /** Clicks a temporary `<a download>` for `url`. */
  click(url: string, fileName: string): void;
}

const browserEnv = (): SaveEnv => ({
  createObjectURL: (b) => URL.createObjectURL(b),
  revokeObjectURL: (u) => URL.revokeObjectURL(u),
  click(url, fileName) {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
  },
});

/** Saves a blob as a file through a temporary link (works offline, no new tab). */
export function saveBlob(blob: Blob, fileName: string, env: SaveEnv = browserEnv()): void {
  const url = env.createObjectURL(blob);
  env.click(url, fileName);
  setTimeout(() => env.revokeObjectURL(url), 10_000);
}

/** Saves text as a file through a temporary link (works offline, no new tab). */
export function downloadText(text: string, fileName: string, type = 'application/json'): void {
  saveBlob(new Blob([text], { type }), fileName);
}
