import { EN } from './vocab-en.js';
import { RU } from './vocab-ru.js';
import { ZH } from './vocab-zh.js';
import type { ReaderLang, Vocabulary } from './vocabulary.js';

export const VOCABULARIES: Readonly<Record<ReaderLang, Vocabulary>> = { en: EN, ru: RU, zh: ZH };

/** The labels and value names of one reader language. */
export const vocabulary = (lang: ReaderLang): Vocabulary => VOCABULARIES[lang];
