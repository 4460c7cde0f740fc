// The service buttons: the server's list, kept for offline use, or the built-in one.
import { useEffect, useState } from 'preact/hooks';
import { fetchServiceTypes, type ServiceTypeDto } from '../../api/serviceLogs';
import { FALLBACK_SERVICE_TYPES, loadServiceTypes, saveServiceTypes } from '../../lib/serviceTypes';
import { browserStore } from '../../lib/storage';

const store = browserStore();

export function useServiceTypes(): { items: readonly ServiceTypeDto[]; fromServer: boolean } {
  const [kept, setKept] = useState(() => loadServiceTypes(store));
  const [fresh, setFresh] = useState(false);
  useEffect(() => {
    let live = true;
    void fetchServiceTypes().then((r) => {
      if (!live || !r.ok || r.data.items.length === 0) return;
      saveServiceTypes(store, r.data.items);
      setKept({ savedAt: Date.now(), data: r.data.items });
      setFresh(true);
    });
    return () => {
      live = false;
    };
  }, []);
  return { items: kept?.data ?? FALLBACK_SERVICE_TYPES, fromServer: fresh || kept !== null };
}
