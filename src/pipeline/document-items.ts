/**
 * A changed feed document → its items. Items whose text is one the feed's seen-record already
 * holds are known by id without a parse (see feeds/item-segments.ts); only the others go through
 * rss-parser and are identified. A feed that lists 80 items of which 10 are new costs the parse
 * of 10, and every item still answers with its id, so the seen-record and the counts are those of
 * the whole document.
 *
 * The record of an item's text (its segment key) is kept only when the parse can be matched to
 * the cut-out items one for one (same count, document order); a document that needs repairs
 * which change its items, or that cannot be segmented, is parsed whole every time, as before.
 */
import { MAX_ITEMS, parseFeedDocument } from '../feeds/parse.js';
import { identifyFeed, type IdentifiedFeed, type IdentifiedItem, type NormaliseContext } from '../feeds/normalise.js';
import { locateItems, segmentKey, withoutItems } from '../feeds/item-segments.js';
import type { ParsedFeed } from '../feeds/types.js';
import type { SeenRecord } from '../store/repositories.js';

/** An item left out of the parse: its text is the text of the recorded story `id`. */
export interface KnownItem {
  id: string;
  segmentKey: string;
}

export interface DocumentItems {
  /** The items that were parsed, identified. */
  feed: IdentifiedFeed;
  /** The items left out of the parse, in document order. */
  known: KnownItem[];
  /** The key of a parsed item's text, when the parse matched the cut-out items one for one. */
  segmentKeyOf: (item: IdentifiedItem) => string | undefined;
  repairs: string[];
  droppedItems: number;
}

export async function readDocumentItems(
  text: string,
  context: NormaliseContext,
  seen: SeenRecord | undefined,
): Promise<DocumentItems> {
  const segments = locateItems(text);
  const keys = segments && segments.length <= MAX_ITEMS ? segments.map((segment) => segmentKey(text, segment, context.documentUrl)) : null;
  const recorded = keys && seen ? recordedSegments(seen) : null;
  const knownIds = keys?.map((key) => recorded?.get(key)) ?? [];
  const whole = async () => withKeys(await parseFeedDocument(text, { baseUrl: context.documentUrl }), context, [], keys ?? [], keys?.map((_, n) => n) ?? []);
  if (!knownIds.some((id) => id !== undefined)) return whole();

  const known: KnownItem[] = [];
  const parsedKeys: string[] = [];
  const parsedPositions: number[] = [];
  knownIds.forEach((id, position) => {
    if (id !== undefined) known.push({ id, segmentKey: keys![position]! });
    else {
      parsedKeys.push(keys![position]!);
      parsedPositions.push(position);
    }
  });
  let parsed: ParsedFeed;
  try {
    parsed = await parseFeedDocument(withoutItems(text, segments!, knownIds.map((id) => id !== undefined)), { baseUrl: context.documentUrl });
  } catch {
    // Some documents read as a feed only thanks to their items (a root that is no feed element,
    // repaired from the items inside): without them there is nothing to read. Read it whole.
    return whole();
  }
  return withKeys(parsed, context, known, parsedKeys, parsedPositions);
}

/**
 * The parsed items identified, each with the key of its text when the parse matched the cut-out
 * items one for one (`parsedKeys`, at `parsedPositions` in the document).
 */
function withKeys(parsed: ParsedFeed, context: NormaliseContext, known: KnownItem[], parsedKeys: string[], parsedPositions: number[]): DocumentItems {
  const oneForOne = parsedKeys.length > 0 && parsed.items.length === parsedKeys.length;
  // Positions in what was parsed, told as positions in the document, so logs point at the item a person would count to.
  const documentIndex = (index: number) => (oneForOne ? parsedPositions[index]! : index);
  const onItemError = context.onItemError;
  const feed = identifyFeed(parsed, {
    ...context,
    ...(onItemError ? { onItemError: (index: number, error: unknown) => onItemError(documentIndex(index), error) } : {}),
  });
  return {
    feed,
    known,
    segmentKeyOf: (item) => (oneForOne ? parsedKeys[item.index] : undefined),
    repairs: parsed.repairs,
    droppedItems: parsed.droppedItems,
  };
}

/** Segment key → story id, for the items of the record that carry one. */
function recordedSegments(seen: SeenRecord): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const [id, entry] of seen.items) {
    const key = entry[3];
    if (key !== undefined) byKey.set(key, id);
  }
  return byKey;
}
