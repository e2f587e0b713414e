/**
 * Moves negated search terms (`-source:okta`, `-word`) out of the way of the option parser, so
 * `auditscope query --case c -source:okta` works without `--`. Known options stay options.
 */
export function separateSearchTerms(
  argv: string[],
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>,
): string[] {
  const known = new Set<string>();
  const takesValue = new Set<string>();
  for (const [name, spec] of Object.entries(options)) {
    for (const flag of [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])]) {
      known.add(flag);
      if (spec.type === 'string') takesValue.add(flag);
    }
  }
  const flags: string[] = [];
  const terms: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      terms.push(...argv.slice(i + 1));
      break;
    }
    const flag = arg.split('=', 1)[0] as string;
    if (known.has(flag)) {
      flags.push(arg);
      if (takesValue.has(flag) && !arg.includes('=') && i + 1 < argv.length) flags.push(argv[++i] as string);
    } else if (arg.startsWith('--')) {
      flags.push(arg); // unknown long option: let the parser report it
    } else {
      terms.push(arg);
    }
  }
  return [...flags, '--', ...terms];
}
