// The argument parser of a repeatable flag (--to a --to b, --secret-provider x=y ...): each value is
// added to the list. Its own module, so that registering a command's flags loads nothing else.
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
