// The monitor's form, offline first: a report (an incident with its files, or a site visit) is kept in
// IndexedDB under an identifier made here, then sent whenever the connection allows; the server records
// it once however often it arrives, and each file once by its content.
(() => {
  const form = document.getElementById('field-form');
  if (!form) return;
  const list = document.getElementById('queue');
  const connection = document.getElementById('connection');
  const text = form.dataset;
  const numbers = new Set(['latitude', 'longitude', 'precisionMetres', 'killed', 'injured', 'affected', 'siteId',
    'workers', 'women', 'childrenUnder15', 'children15To18']);
  const parts = { incident: document.getElementById('incident-fields'), visit: document.getElementById('visit-fields') };

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
  const pending = item => (item.files || []).filter(f => !f.sent && !f.refused).length;
  async function render() {
    const items = (await all()).sort((a, b) => b.savedAt - a.savedAt);
    list.replaceChildren(...items.map(item => {
      const li = document.createElement('li');
      const waitingFiles = pending(item);
      li.className = item.state === 'sent' && waitingFiles ? 'waiting' : item.state;
      const body = item.body;
      const what = body.kind === 'visit' ? text.visit
        : (form.querySelector(`#category option[value="${body.category}"]`)?.textContent ?? body.category);
      li.textContent = `${body.occurredOn || body.visitedOn} · ${what} — ${label(item.state)}`;
      if (waitingFiles) li.textContent += ` · ${text.files.replace('{0}', waitingFiles)}`;
      if (item.kept) li.textContent += ` · ${text.kept.replace('{0}', item.kept)}`;
      if (item.problem) {
        // A phone has no hover: what to change is written under the report.
        const why = document.createElement('small');
        why.className = 'problem';
        why.textContent = item.problem;
        li.append(document.createElement('br'), why);
      }
      return li;
    }));
  }

  const post = (url, body, json) => fetch(url, {
    method: 'POST', credentials: 'same-origin', redirect: 'manual',
    headers: json ? { 'Content-Type': 'application/json', 'RequestVerificationToken': text.token } : { 'RequestVerificationToken': text.token },
    body,
  });
  // What the server said to change, from its ProblemDetails: each field's message, else its title.
  const problem = async response => {
    try {
      const body = await response.json();
      return body.errors ? Object.entries(body.errors).map(([field, messages]) => `${field}: ${messages.join(' ')}`).join('\n') : body.title || '';
    } catch { return `${response.status}`; }
  };
  const signedOut = response => response.type === 'opaqueredirect' || response.status === 401 || response.status === 403;

  // The report first; its files after it, one request each, so a broken connection loses at most the file on its way.
  async function send(item) {
    if (!item.onServer) {
      const response = await post(text.endpoint, JSON.stringify(item.body), true);
      if (response.ok) {
        item.onServer = true;
        item.serverId = (await response.json()).id;
        // Once on the server, the phone keeps only what lists it: a seized phone names nobody.
        const b = item.body;
        item.body = { kind: b.kind, category: b.category, occurredOn: b.occurredOn, visitedOn: b.visitedOn };
      }
      else if (signedOut(response)) item.state = 'signin';
      else if (response.status === 400 || response.status === 409) { item.state = 'refused'; item.problem = await problem(response); }
      if (!item.onServer) return;
    }
    for (const file of item.files || []) {
      if (file.sent || file.refused) continue;
      const data = new FormData();
      data.append('clientId', item.clientId);
      data.append('file', file.blob, file.name);
      const response = await post(text.evidence, data, false);
      if (response.ok) {
        if (!(await response.json()).metadataRemoved) item.kept = (item.kept || 0) + 1;
        file.sent = true; file.blob = null;
      }
      else if (signedOut(response)) { item.state = 'signin'; return; }
      else if (response.status === 400 || response.status === 413) { file.refused = true; file.blob = null; item.problem = `${file.name}: ${await problem(response)}`; }
      else return; // the server failed: try again later
    }
    item.state = 'sent';
  }

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      for (const item of await all()) {
        if (item.state === 'refused' || (item.state === 'sent' && !pending(item))) continue;
        try {
          await send(item);
        } catch (e) {
          break; // the connection dropped: everything waits for the next try
        } finally {
          await save(item);
        }
      }
    } finally {
      flushing = false;
      await render();
      // Sent: the line says the connection again, not "kept in this phone" beside a report marked sent.
      if (navigator.onLine) showConnection();
    }
  }

  function showConnection() {
    connection.textContent = navigator.onLine ? connection.dataset.online : connection.dataset.offline;
    connection.className = navigator.onLine ? 'online' : 'offline';
  }

  function showKind() {
    const kind = form.elements.kind.value;
    for (const [name, part] of Object.entries(parts)) {
      part.hidden = name !== kind;
      part.disabled = name !== kind; // a disabled part is neither checked nor sent
    }
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = { clientId: uuid() };
    const files = [];
    for (const [name, value] of new FormData(form)) {
      if (value instanceof File) { if (value.size > 0) files.push({ name: value.name, type: value.type, blob: value }); continue; }
      if (value === '') continue;
      if (name === 'interference') (body.interference ??= []).push(value);
      else if (name === 'mercury') body.mercury = value === 'true';
      else body[name] = numbers.has(name) ? Number(value) : value;
    }
    await save({ clientId: body.clientId, body, files, state: 'waiting', savedAt: Date.now() });
    const kind = body.kind;
    form.reset();
    for (const hidden of form.querySelectorAll('input[type=hidden][name=siteId]')) hidden.value = '';
    form.elements.kind.value = kind;
    showKind();
    connection.textContent = text.saved;
    await render();
    flush();
  });

  for (const radio of form.querySelectorAll('input[name="kind"]')) radio.addEventListener('change', showKind);

  // A site is typed, the browser offers the names from the page's list; the chosen name gives its number.
  const sites = new Map([...document.querySelectorAll('#site-list option')].map(o => [o.value.trim(), o.dataset]));
  for (const picker of form.querySelectorAll('input.site-picker')) {
    picker.addEventListener('input', () => {
      const site = sites.get(picker.value.trim());
      picker.nextElementSibling.value = site?.id ?? '';
      picker.setCustomValidity(picker.value.trim() && !site ? picker.dataset.unknown : '');
      // An incident at a known site starts at the site's place and country, which the monitor may then correct; typed coordinates are kept.
      if (site && picker.id === 'incident-site' && !form.elements.latitude.value && !form.elements.longitude.value) {
        form.elements.latitude.value = site.lat;
        form.elements.longitude.value = site.lon;
        form.elements.countryIso3.value = site.country;
      }
    });
  }
  // Another organisation of the monitor's: its country becomes the incident's, which stays changeable.
  const organisation = form.elements.organisation;
  organisation?.addEventListener('change', () => {
    const country = organisation.selectedOptions[0]?.dataset.country;
    if (country) form.elements.countryIso3.value = country;
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
  showKind();
  showConnection();
  render().then(flush);
})();
