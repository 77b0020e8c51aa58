import { useTranslation } from 'react-i18next';
import type { HostId, HostProfile } from '../../../../shared/hosts/hostProfile';
import { Icon } from '../../components/icons';

interface HostPickerProps {
  connected: readonly HostProfile[];
  selected: readonly HostProfile[];
  onToggle(id: HostId): void;
}

export function HostPicker({ connected, selected, onToggle }: HostPickerProps) {
  const { t } = useTranslation();
  if (connected.length === 0) {
    return (
      <div className="callout" role="note">
        <Icon name="server" />
        <div>
          <strong>{t('guide.emptyTitle')}</strong>
          <p>{t('guide.emptyBody')}</p>
        </div>
      </div>
    );
  }
  return (
    <fieldset className="wizard-fieldset">
      <legend>{t('wizard.hostsLegend')}</legend>
      <div className="wizard-hosts-pick">
        {connected.map((profile) => (
          <label key={profile.id} className="choice">
            <input type="checkbox" checked={selected.includes(profile)} onChange={() => onToggle(profile.id)} />
            <span>{profile.name}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
