/**
 * The `yaml` package behind the `YamlParse` signature, in a module of its own so that it and
 * the package form one chunk (dist/yaml-parse.js) that loads only when a YAML input is set.
 */
import { parse } from 'yaml';
import type { YamlParse } from './vars.js';

/** `yaml`'s `parse` with the given options (see vars.ts for the ones used). */
export const parseYaml: YamlParse = (text, options) => parse(text, options);
