/**
 * Page-by-page reading of Google list and search calls. Each page is its own retried call, so a
 * throttled page 7 is fetched again without re-reading (and duplicating) pages 1 to 6.
 */

/** Runs one Google API call with the collector's concurrency limit, timeout and retries. */
export type GoogleCall = <T>(operation: () => Promise<T>) => Promise<T>;

/**
 * What a gax paged method returns with `autoPaginate: false`: the page's items, the request for
 * the next page (null on the last page) and the raw response.
 */
export type PageResult<Item> = [Item[], { pageToken?: string | null } | null | undefined, unknown];

/**
 * Reads every page of a paged call, following `nextPageToken` until Google returns none.
 * `fetchPage` gets the page token ("" for the first page). `onPage` sees each page as it arrives.
 */
export async function readAllPages<Item>(
  fetchPage: (pageToken: string) => Promise<PageResult<Item>>,
  call: GoogleCall,
  onPage?: (items: Item[]) => void,
): Promise<Item[]> {
  const items: Item[] = [];
  const seenTokens = new Set<string>();
  let pageToken = "";
  for (;;) {
    const token = pageToken;
    const [page, next] = await call(() => fetchPage(token));
    items.push(...page);
    onPage?.(page);
    pageToken = next?.pageToken ?? "";
    if (!pageToken) return items;
    // A server that hands out the same token twice would otherwise loop forever.
    if (seenTokens.has(pageToken))
      throw new Error(`the page token ${JSON.stringify(pageToken)} came back twice`);
    seenTokens.add(pageToken);
  }
}
