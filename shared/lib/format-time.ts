/** Epoch microseconds → ISO 8601 UTC, with the fraction only as long as the precision needs. */
export function formatTimeUtc(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const extra = micros - millis * 1000;
  const iso = new Date(millis).toISOString(); // 2024-03-01T12:00:00.123Z
  if (extra !== 0) return `${iso.slice(0, 23)}${String(extra).padStart(3, '0')}Z`;
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}
