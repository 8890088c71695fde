import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { keys, projectListQuery, putSession, templateListQuery } from '../api/queries';
import type { Session } from '../api/schema.gen';
import { useApi } from './ApiContext';
import { Pending, ProblemPanel } from './ProblemPanel';
import { EMPTY_FORM, sessionPayload, type SessionForm } from './session-payload';

/** Creates a session; shows the exact JSON it will send. */
export function CreateSessionForm() {
  const api = useApi();
  const qc = useQueryClient();
  const [form, setForm] = useState<SessionForm>(EMPTY_FORM);
  const templates = useQuery(templateListQuery(api));
  const projects = useQuery(projectListQuery(api));
  const payload = sessionPayload(form);
  const create = useMutation({
    mutationFn: () => api.send<Session>('POST', '/api/v1/sessions', payload),
    onSuccess: (s) => {
      putSession(qc, s);
      setForm(EMPTY_FORM);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: keys.sessions }),
  });
  const set = (patch: Partial<SessionForm>) => setForm((f) => ({ ...f, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="card create" aria-labelledby="create-h" onSubmit={submit}>
      <h2 id="create-h">Create a session</h2>
      <div className="grid">
        <label>
          Template
          <select value={form.templateId} onChange={(e) => set({ templateId: e.target.value })}>
            <option value="">none</option>
            {(templates.data?.items ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Project
          <select value={form.projectId} onChange={(e) => set({ projectId: e.target.value })}>
            <option value="">owner-scoped (no project)</option>
            {(projects.data?.items ?? [])
              .filter((p) => p.state === 'active')
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          Owner mode
          <select
            value={form.ownerMode}
            onChange={(e) => set({ ownerMode: e.target.value as SessionForm['ownerMode'] })}
          >
            <option value="">default</option>
            <option value="collaborative">collaborative</option>
            <option value="exclusive_owner">exclusive owner</option>
          </select>
        </label>
        <label>
          Idle timeout (seconds)
          <input
            type="number"
            min={30}
            max={604800}
            inputMode="numeric"
            value={form.idleTimeoutSec}
            onChange={(e) => set({ idleTimeoutSec: e.target.value })}
          />
        </label>
        <label>
          Locale
          <input placeholder="en-US" value={form.locale} onChange={(e) => set({ locale: e.target.value })} />
        </label>
        <label>
          Time zone
          <input
            placeholder="Europe/Berlin"
            value={form.timezone}
            onChange={(e) => set({ timezone: e.target.value })}
          />
        </label>
        <label>
          User agent
          <input value={form.userAgent} onChange={(e) => set({ userAgent: e.target.value })} />
        </label>
        <label>
          Labels (key=value, one per line)
          <textarea rows={2} value={form.labels} onChange={(e) => set({ labels: e.target.value })} />
        </label>
        <label>
          Recording
          <select
            value={form.recordingMode}
            onChange={(e) => set({ recordingMode: e.target.value as SessionForm['recordingMode'] })}
          >
            <option value="">default</option>
            <option value="disabled">disabled</option>
            <option value="manual">manual</option>
            <option value="always">always</option>
          </select>
        </label>
        <label>
          Retention (days)
          <input
            type="number"
            min={1}
            max={3650}
            value={form.retentionDays}
            onChange={(e) => set({ retentionDays: e.target.value })}
            disabled={form.recordingMode === ''}
          />
        </label>
      </div>
      <label className="preview">
        Request body (POST /api/v1/sessions)
        <textarea readOnly aria-label="Payload preview" rows={6} value={JSON.stringify(payload, null, 2)} />
      </label>
      <button type="submit" className="primary" disabled={create.isPending}>
        Create session
      </button>
      {create.isPending ? <Pending>Creating…</Pending> : null}
      {create.isError ? <ProblemPanel error={create.error} title="Create failed" /> : null}
      {create.isSuccess ? (
        <p role="status">
          Created session <code>{create.data.id}</code> ({create.data.state})
        </p>
      ) : null}
    </form>
  );
}
