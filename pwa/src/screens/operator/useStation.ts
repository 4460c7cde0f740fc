// The operator's station, loaded once for the whole console: the status bar on top of every
// tab and the station tab edit the same copy, so neither shows a stale value.
import { useEffect, useState } from 'preact/hooks';
import { fetchStation, patchStation } from '../../api/stations';
import type { Problem } from '../../api/problem';
import type { StationDetail, StationPatch } from '../../api/types';

export type Section = 'status' | 'occupancy' | 'capacity' | 'hours' | 'amenities' | 'confirm';

export interface StationEditor {
  id: string;
  station: StationDetail | null;
  loading: boolean;
  loadProblem: Problem | null;
  /** The section being saved. */
  busy: Section | null;
  /** The section saved last (for its "saved" line). */
  done: Section | null;
  problem: { section: Section; problem: Problem } | null;
  load(): Promise<void>;
  /** PATCHes the station; true when the server took it. */
  save(section: Section, body: StationPatch): Promise<boolean>;
}

export function useStationEditor(id: string): StationEditor {
  const [station, setStation] = useState<StationDetail | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState<Section | null>(null);
  const [done, setDone] = useState<Section | null>(null);
  const [problem, setProblem] = useState<StationEditor['problem']>(null);

  const load = async () => {
    setLoading(true);
    setLoadProblem(null);
    const r = await fetchStation(id);
    setLoading(false);
    if (r.ok) setStation(r.data);
    else setLoadProblem(r.problem);
  };
  useEffect(() => {
    void load();
  }, [id]);

  const save = async (section: Section, body: StationPatch): Promise<boolean> => {
    setBusy(section);
    setDone(null);
    setProblem(null);
    const r = await patchStation(id, body);
    setBusy(null);
    if (r.ok) {
      setStation(r.data);
      setDone(section);
      return true;
    }
    setProblem({ section, problem: r.problem });
    return false;
  };

  return { id, station, loading, loadProblem, busy, done, problem, load, save };
}
