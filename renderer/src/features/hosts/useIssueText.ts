import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldIssue, FieldIssues } from './formIssues';

export function useIssueText(): (issue: FieldIssue) => string {
  const { t } = useTranslation();
  return useCallback((issue) => ('key' in issue ? t(`issues.${issue.key}`, { max: issue.max }) : issue.text), [t]);
}

/** The sentence to show under the field at `path`, if it has a problem. */
export function useFieldErrors(issues: FieldIssues): (path: string) => string | null {
  const issueText = useIssueText();
  return (path) => {
    const issue = issues[path];
    return issue ? issueText(issue) : null;
  };
}
