import { useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons';

interface TerminalSearchBarProps {
  /** From the search addon: index -1 means more matches than it highlights. */
  results: { index: number; count: number } | null;
  onFind(term: string, backwards: boolean): void;
  onClose(): void;
}

export function TerminalSearchBar({ results, onFind, onClose }: TerminalSearchBarProps) {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');

  const find = (backwards: boolean) => {
    if (term) onFind(term, backwards);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find(event.shiftKey);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };
  const count = !term || !results ? '' : results.count === 0 ? t('terminal.search.none') : results.index < 0 ? t('terminal.search.tooMany', { count: results.count }) : t('terminal.search.count', { index: results.index + 1, count: results.count });

  return (
    <div className="terminal-search" role="search">
      <input
        // Opened by Ctrl+Shift+F to be typed into at once.
        autoFocus
        className="field__input terminal-search__input"
        type="search"
        aria-label={t('terminal.search.label')}
        placeholder={t('terminal.search.label')}
        value={term}
        onChange={(event) => {
          setTerm(event.target.value);
          if (event.target.value) onFind(event.target.value, false);
        }}
        onKeyDown={onKeyDown}
      />
      <span className="terminal-search__count" aria-live="polite">
        {count}
      </span>
      <button type="button" className="icon-button icon-button--small terminal-search__previous" aria-label={t('terminal.search.previous')} title={t('terminal.search.previous')} onClick={() => find(true)}>
        <Icon name="chevron" size={14} />
      </button>
      <button type="button" className="icon-button icon-button--small terminal-search__next" aria-label={t('terminal.search.next')} title={t('terminal.search.next')} onClick={() => find(false)}>
        <Icon name="chevron" size={14} />
      </button>
      <button type="button" className="icon-button icon-button--small" aria-label={t('terminal.search.close')} title={t('terminal.search.close')} onClick={onClose}>
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}
