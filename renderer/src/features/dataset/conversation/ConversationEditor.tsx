import { memo, useId, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { insertTurn, removeTurn, setReviewed, setSampleId, setTurnRole, setTurnValue } from '../../../../../shared/dataset/sampleEdits';
import type { EditableSample } from '../../../../../shared/dataset/sampleModel';
import { sampleIdText } from '../../../../../shared/dataset/sampleModel';
import { Icon } from '../../../components/icons';
import type { SampleSession, SessionSnapshot } from '../workspace/sampleSession';

const ROLES = ['user', 'assistant'];

/** A place to bring into view: a problem's turn and characters, or the sample's id (turn null). */
export interface JumpTarget {
  sample: number;
  turn: number | null;
  offset: number | null;
  length: number;
  /** Distinguishes two jumps to the same place. */
  nonce: number;
}

interface ConversationEditorProps {
  session: SampleSession;
  snapshot: SessionSnapshot;
  jump: JumpTarget | null;
  readOnly: boolean;
  onAddPicture(): void;
}

/**
 * The sample's turns as text: a role and a textarea each. Typing rewrites the turn (and moves its
 * boxes on the canvas); a box drawn on the canvas is written at the caret of the turn last typed in.
 */
export const ConversationEditor = memo(function ConversationEditor({ session, snapshot, jump, readOnly, onAddPicture }: ConversationEditorProps) {
  const { t } = useTranslation();
  const idField = useId();
  const areas = useRef(new Map<number, HTMLTextAreaElement>());
  const idInput = useRef<HTMLInputElement>(null);
  const applied = useRef(0);
  const { sample } = snapshot;

  // A box drawn at the caret moved it past the box: put the caret there while the canvas has focus.
  useLayoutEffect(() => {
    const caret = snapshot.caret;
    if (snapshot.source !== 'canvas' || !caret) return;
    const area = areas.current.get(caret.turn);
    if (area && document.activeElement !== area) area.setSelectionRange(caret.offset, caret.offset);
  }, [snapshot]);

  useLayoutEffect(() => {
    if (!jump || jump.nonce === applied.current || jump.sample !== snapshot.index || snapshot.loading) return;
    applied.current = jump.nonce;
    if (jump.turn === null) {
      idInput.current?.focus();
      return;
    }
    const area = areas.current.get(jump.turn);
    if (!area) return;
    area.focus();
    const start = Math.min(jump.offset ?? 0, area.value.length);
    area.setSelectionRange(start, Math.min(start + jump.length, area.value.length));
    area.scrollIntoView({ block: 'nearest' });
    session.setCaret({ turn: jump.turn, offset: start });
  }, [jump, snapshot.index, snapshot.loading, session]);

  if (!sample) return null;
  const edit = (next: EditableSample, caret?: { turn: number; offset: number }) => session.edit(next, 'text', caret ? { caret } : {});
  const problemsOf = (turn: number) => snapshot.problems.filter((problem) => problem.turn === turn).length;

  return (
    <section className="conversation" aria-label={t('dataset.conversation.title')}>
      <div className="conversation__head">
        <label className="conversation__id" htmlFor={idField}>
          <span>{t('dataset.conversation.id')}</span>
          <input id={idField} ref={idInput} className="field__input" value={sampleIdText(sample) ?? ''} readOnly={readOnly} spellCheck={false} onChange={(event) => edit(setSampleId(sample, event.target.value))} />
        </label>
        <label className="conversation__reviewed">
          <input type="checkbox" checked={sample.reviewed} disabled={readOnly} onChange={(event) => session.edit(setReviewed(sample, event.target.checked), 'command')} />
          {t('dataset.conversation.reviewed')} <kbd aria-hidden="true">V</kbd>
        </label>
      </div>
      <ol className="conversation__turns">
        {sample.turns.map((turn, index) => {
          const problems = problemsOf(index);
          const roles = ROLES.includes(turn.from) ? ROLES : [turn.from, ...ROLES];
          return (
            <li key={index} className="turn" data-role={turn.from}>
              <div className="turn__head">
                <span className="turn__number">{t('dataset.conversation.turn', { number: index + 1 })}</span>
                <select aria-label={t('dataset.conversation.role', { number: index + 1 })} value={turn.from} disabled={readOnly} onChange={(event) => edit(setTurnRole(sample, index, event.target.value))}>
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {role === '' ? t('dataset.conversation.noRole') : role}
                    </option>
                  ))}
                </select>
                {problems > 0 && <span className="turn__problems">{t('dataset.conversation.problems', { count: problems })}</span>}
                <span className="turn__spacer" />
                <button type="button" className="icon-button icon-button--small icon-button--danger" disabled={readOnly} aria-label={t('dataset.conversation.remove', { number: index + 1 })} title={t('dataset.conversation.remove', { number: index + 1 })} onClick={() => edit(removeTurn(sample, index))}>
                  <Icon name="trash" size={15} />
                </button>
              </div>
              <textarea
                ref={(area) => {
                  if (area) areas.current.set(index, area);
                  else areas.current.delete(index);
                }}
                className="turn__text"
                aria-label={t('dataset.conversation.text', { number: index + 1, role: turn.from || t('dataset.conversation.noRole') })}
                value={turn.value}
                readOnly={readOnly}
                spellCheck={false}
                onChange={(event) => edit(setTurnValue(sample, index, event.target.value), { turn: index, offset: event.target.selectionEnd })}
                onSelect={(event) => session.setCaret({ turn: index, offset: event.currentTarget.selectionEnd })}
              />
            </li>
          );
        })}
      </ol>
      <div className="conversation__actions">
        <button
          type="button"
          className="button button--quiet button--small"
          disabled={readOnly}
          onClick={() => {
            const last = sample.turns.at(-1)?.from;
            edit(insertTurn(sample, sample.turns.length, { from: last === 'user' ? 'assistant' : 'user', value: '' }));
          }}
        >
          <Icon name="plus" size={14} /> {t('dataset.conversation.addTurn')}
        </button>
        <button type="button" className="button button--quiet button--small" disabled={readOnly} onClick={onAddPicture}>
          <Icon name="plus" size={14} /> {t('dataset.conversation.addPicture')}
        </button>
      </div>
    </section>
  );
});
