/** The source-specific fields of regions (region.linux, region.windows) as columns. */

/** How a source-specific extra field (region.linux.*, region.windows.*) is stored. */
export type ExtraKind = 'number' | 'string' | 'words' | 'json';
export interface ExtraField {
  key: string;
  kind: ExtraKind;
}
export interface ExtraGroup {
  name: 'linux' | 'windows';
  fields: ExtraField[];
}
/**
 * One group's columns. `number` fields hold the value (NaN: absent); the others an index into the
 * string table (-1: absent), `words` as the words joined by one space, `json` as JSON text.
 */
export interface ExtraColumns {
  name: ExtraGroup['name'];
  fields: (ExtraField & { column: Float64Array | Int32Array })[];
}
