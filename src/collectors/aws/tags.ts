/** Tag list mapping: AWS `[{ Key, Value }]` to the inventory's string map. */

/** One AWS tag as the Tagging API and Resource Explorer return it. */
export interface AwsTag {
  Key?: string | undefined;
  Value?: string | undefined;
}

/** Converts a tag list to a record; tags without a key are dropped, a missing value becomes "". */
export function tagsToRecord(tags: readonly AwsTag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.Key === undefined || tag.Key === "") continue;
    record[tag.Key] = tag.Value ?? "";
  }
  return record;
}
