// The monitor's form, offline first: a report is kept in IndexedDB under an identifier made here,
// then sent whenever the connection allows; the server records it once however often it arrives.
(() => {
  const form = document.getElementById('field-form');
  if (!form) return;
  const list = document.getElementById('queue');
  const connection = document.getElementById('connection');
  const text = form.dataset;
  const numbers = new Set(['latitude', 'longitude', 'precisionMetres', 'killed', 'injured', 'affected']);

  const uuid = () => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map(x => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  const open = () => new Promise((resolve, reject) => {
    const request = indexedDB.open('kimberlite-field', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('outbox', { keyPath: 'clientId' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const store = async (mode, work) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction('outbox', mode);
      const request = work(tx.objectStore('outbox'));
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
    });
  };
  const all = () => store('readonly', s => s.getAll());
  const save = item => store('readwrite', s => s.put(item));

  const label = state => ({ waiting: text.waiting, sent: text.sent, refused: text.refused, signin: text.signin })[state] || state;
  async function render() {
    const items = (await all()).sort((a, b) => b.savedAt - a.savedAt);
    list.replaceChildren(...items.map(item => {
      const li = document.createElement('li');
      li.className = item.state;
      const category = form.querySelector(`#category option[value="${item.body.category}"]`);
      li.textContent = `${item.body.occurredOn} · ${category ? category.textContent : item.body.category} — ${label(item.state)}`;
      if (item.problem) li.title = item.problem;
      return li;
    }));
  }

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      for (const item of await all()) {
        if (item.state === 'sent' || item.state === 'refused') continue;
        try {
          const response = await fetch(text.endpoint, {
            method: 'POST', credentials: 'same-origin', redirect: 'manual',
            headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': text.token },
            body: JSON.stringify(item.body),
          });
          if (response.ok) {
            item.state = 'sent';
            item.serverId = (await response.json()).id;
            // Once on the server, the phone keeps only what lists it: a seized phone names nobody.
            item.body = { category: item.body.category, occurredOn: item.body.occurredOn };
          }
          else if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403) item.state = 'signin';
          else if (response.status === 400 || response.status === 409) { item.state = 'refused'; item.problem = await response.text(); }
          else continue; // the server failed: try again later
          await save(item);
        } catch (e) {
          break; // the connection dropped: everything waits for the next try
        }
      }
    } finally {
      flushing = false;
      await render();
    }
  }

  function showConnection() {
    connection.textContent = navigator.onLine ? connection.dataset.online : connection.dataset.offline;
    connection.className = navigator.onLine ? 'online' : 'offline';
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = { clientId: uuid() };
    for (const [name, value] of new FormData(form)) {
      if (value === '') continue;
      body[name] = numbers.has(name) ? Number(value) : value;
    }
    await save({ clientId: body.clientId, body, state: 'waiting', savedAt: Date.now() });
    form.reset();
    connection.textContent = text.saved;
    await render();
    flush();
  });

  document.getElementById('locate')?.addEventListener('click', () => {
    navigator.geolocation?.getCurrentPosition(position => {
      form.elements.latitude.value = position.coords.latitude.toFixed(6);
      form.elements.longitude.value = position.coords.longitude.toFixed(6);
      form.elements.precisionMetres.value = Math.round(position.coords.accuracy);
    });
  });

  window.addEventListener('online', () => { showConnection(); flush(); });
  window.addEventListener('offline', showConnection);
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/field-sw.js', { scope: '/field/' });
  showConnection();
  render().then(flush);
})();
