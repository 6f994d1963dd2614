/** The hotline's languages: labels, value names, rendering, standard texts and CLI strings. */
export { renderMessage } from './render.js';
export { STRINGS, type StringKey, t } from './strings.js';
export { type MessageTemplate, TEMPLATES, type TemplateSet, template } from './templates.js';
export { VOCABULARIES, vocabulary } from './vocabularies.js';
export {
  DEFAULT_CATEGORY_CODES,
  FIELD_KEYS,
  type FieldKey,
  READER_LANGS,
  type ReaderLang,
  RSIT_CLASSES,
  readerLanguage,
  SECTORS,
  type Vocabulary,
} from './vocabulary.js';
