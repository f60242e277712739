/** Numbers and dates in the UI's language, through Intl (one formatter per language, kept). */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export interface Format {
  number: (n: number) => string;
  dateTime: (d: Date | number) => string;
  time: (d: Date | number) => string;
}

const cache = new Map<string, Format>();

export function formatFor(language: string): Format {
  let f = cache.get(language);
  if (!f) {
    const number = new Intl.NumberFormat(language);
    const dateTime = new Intl.DateTimeFormat(language, {
      dateStyle: 'medium',
      timeStyle: 'medium',
    });
    const time = new Intl.DateTimeFormat(language, { timeStyle: 'medium' });
    f = {
      number: (n) => number.format(n),
      dateTime: (d) => dateTime.format(d),
      time: (d) => time.format(d),
    };
    cache.set(language, f);
  }
  return f;
}

export function useFormat(): Format {
  const { i18n } = useTranslation();
  return useMemo(() => formatFor(i18n.language), [i18n.language]);
}
