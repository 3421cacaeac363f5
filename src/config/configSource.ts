// A declaration document and the way back to where each part of it was written. YAML files and CDK
// constructs both produce these, so that the schema and semantic checks (and their diagnostics) are
// one code path for both.
import type { DocPath, Location } from "../diagnostics/diagnostic.js";

export interface ConfigSource {
  /** The data as declared: a value of the shape schemas/fabricate.schema.json describes, unchecked. */
  readonly data: unknown;
  /** The directory that relative paths in this document start from. */
  readonly baseDir: string;
  /**
   * Where `path` was written. With `key`, the position of the key itself (for an unknown field), else
   * of its value. Falls back to the nearest enclosing part that exists. May be costly (a YAML file's
   * positions are computed on first use), so it is called only for diagnostics.
   */
  locate(path: DocPath, key?: boolean): Location;
  /** Where `path` was written, cheaply: the file (or construct) and the path, without line and column. */
  origin(path: DocPath): Location;
}
