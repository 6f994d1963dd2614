/**
 * Languages of the UI: its own strings (en.ts, ru.ts, zh.ts) and the hotline's labels and value
 * names, imported from the hotline model's tables so the UI and the CLI name things alike.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { EN as VOC_EN } from '../../../src/hotline/model/i18n/vocab-en.js';
import { RU as VOC_RU } from '../../../src/hotline/model/i18n/vocab-ru.js';
import { ZH as VOC_ZH } from '../../../src/hotline/model/i18n/vocab-zh.js';
import type { Vocabulary } from '../../../src/hotline/model/i18n/vocabulary.js';
import { EN, type UiKey } from './en.js';
import { RU } from './ru.js';
import { ZH } from './zh.js';

export const LANGS = ['en', 'ru', 'zh'] as const;
export type Lang = (typeof LANGS)[number];
export type { UiKey };

export const UI_STRINGS: Readonly<Record<Lang, Readonly<Record<UiKey, string>>>> = { en: EN, ru: RU, zh: ZH };
export const VOCABS: Readonly<Record<Lang, Vocabulary>> = { en: VOC_EN, ru: VOC_RU, zh: VOC_ZH };
/** Each language's own name, shown in the switcher whatever the current language. */
export const LANG_NAMES: Readonly<Record<Lang, string>> = { en: 'English', ru: 'Русский', zh: '中文' };
/** BCP 47 locale for dates and numbers. */
export const LOCALES: Readonly<Record<Lang, string>> = { en: 'en-GB', ru: 'ru-RU', zh: 'zh-CN' };

export type Vars = Record<string, string | number>;

export function translate(lang: Lang, key: UiKey, vars?: Vars): string {
  const s = UI_STRINGS[lang][key] ?? EN[key];
  return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
}

export interface I18n {
  lang: Lang;
  t: (key: UiKey, vars?: Vars) => string;
  v: Vocabulary;
  setLang: (l: Lang) => void;
}

export function i18nFor(lang: Lang, setLang: (l: Lang) => void): I18n {
  return { lang, t: (k, vars) => translate(lang, k, vars), v: VOCABS[lang], setLang };
}

export const I18nContext = createContext<I18n>(i18nFor('en', () => {}));
export const useI18n = (): I18n => useContext(I18nContext);

/** The language saved by the switcher, else the browser's, else English. */
export function initialLang(): Lang {
  const saved = localStorage.getItem('parley.lang');
  if (saved && (LANGS as readonly string[]).includes(saved)) return saved as Lang;
  const nav = (navigator.language || 'en').toLowerCase().split('-')[0];
  return (LANGS as readonly string[]).includes(nav ?? '') ? (nav as Lang) : 'en';
}
