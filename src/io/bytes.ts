/** Byte counts as users read them; no file system, so the compile core can use it. */
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** `512 bytes`, `1 MiB`, `10,000,000 bytes (9.5 MiB)`: exact, with a readable size where it helps. */
export function formatBytes(n: number): string {
  const exact = `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;
  const unit = n >= GiB ? (['GiB', GiB] as const) : n >= MiB ? (['MiB', MiB] as const) : n >= KiB ? (['KiB', KiB] as const) : undefined;
  if (!unit) return exact;
  const scaled = n / unit[1];
  if (Number.isInteger(scaled)) return `${scaled} ${unit[0]}`;
  return `${exact} (${scaled.toFixed(1)} ${unit[0]})`;
}
