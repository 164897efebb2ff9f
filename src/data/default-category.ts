// Which category a command works on when none is named: data.item_id, except that a file holding
// a single series uses that series whatever data.item_id says. The shipped default (Beauty, the
// demo's) would otherwise refuse every one-series file with "category Beauty is not in the data".
// One function for every command and the server, so they never disagree.

export interface DefaultCategory {
  category: string;
  /** Set when data.item_id was replaced: one line saying so, for the log. */
  note?: string;
}

/**
 * data.item_id when `known` has it (compared in Unicode NFC, like the data's names) or when
 * `known` has several or no categories (the caller's "not in the data" error then lists them);
 * the only category of `known` otherwise, with a note saying so.
 */
export function defaultCategory(itemId: string, known: readonly string[]): DefaultCategory {
  const wanted = itemId.normalize("NFC");
  if (known.includes(wanted) || known.length !== 1) return { category: wanted };
  const only = known[0];
  return {
    category: only,
    note:
      `data.item_id is ${JSON.stringify(itemId)}, which is not in the data; the data has one series, ${JSON.stringify(only)}: using it ` +
      `(set data.item_id=${JSON.stringify(only)}, or pass --category, to say so yourself).`,
  };
}
