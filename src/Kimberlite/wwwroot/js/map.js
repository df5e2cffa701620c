// The map: outlines served by Kimberlite, no tile server needed; published incidents (coarse places)
// and mining sites, grouped when they fall close together at the current zoom.
(() => {
  const element = document.getElementById('map');
  if (!element || !window.L) return;
  const text = element.dataset;
  const categories = JSON.parse(text.categories || '{}');
  // i18 words: a site's minerals in the reader's language ("diamond, gold" → "diamant, or").
  const minerals = JSON.parse(text.minerals || '{}');
  const mineralWords = m => String(m).split(/\s*[,;/]\s*/).map(w => minerals[w.toLowerCase()] || w).join(', ');
  const map = L.map(element, { zoomSnap: 0.5 }).setView([2, 20], 4.5);
  if (text.tiles) L.tileLayer(text.tiles, { maxZoom: 16 }).addTo(map);
  const filters = document.getElementById('map-filters');
  const layer = L.layerGroup().addTo(map);
  const labels = L.layerGroup().addTo(map);
  let incidents = [], sites = [];

  const load = url => fetch(url, { headers: { Accept: 'application/json' } }).then(r => r.ok ? r.json() : { features: [] });
  load('/data/central-africa.json').then(outlines => {
    const names = JSON.parse(text.countries || '{}');
    L.geoJSON(outlines, {
      style: { color: '#6b7c74', weight: 1, fillColor: '#eef1ef', fillOpacity: 1 },
      // Each country named in the reader's language, at the middle of its outline.
      onEachFeature: (feature, shape) => {
        if (names[feature.id]) L.tooltip({ permanent: true, direction: 'center', className: 'country', interactive: false })
          .setLatLng(shape.getBounds().getCenter()).setContent(escape(names[feature.id])).addTo(labels);
      },
    }).addTo(map).bringToBack();
  });
  Promise.all([load('/api/v1/incidents?format=geojson'), load('/api/v1/sites?format=geojson')]).then(([i, s]) => {
    incidents = i.features; sites = s.features; draw();
  });

  const chosen = () => Object.fromEntries(new FormData(filters));
  const visible = () => {
    const f = chosen();
    const kept = incidents.filter(x => {
      const p = x.properties, year = Number(p.occurredOn.slice(0, 4));
      return (!f.category || p.category === f.category) && (!f.country || p.countryIso3 === f.country)
        && (!f.from || year >= Number(f.from)) && (!f.to || year <= Number(f.to));
    }).map(x => ({ feature: x, kind: 'incident' }));
    if (f.sites) kept.push(...sites.filter(x => !f.country || x.properties.countryIso3 === f.country).map(x => ({ feature: x, kind: 'site' })));
    return kept;
  };

  function describe(item) {
    const p = item.feature.properties;
    return item.kind === 'incident'
      ? `<strong>${text.incident}</strong> · ${p.occurredOn} · ${escape(categories[p.category] || p.category)}<br>${escape(p.summary || '')}`
      : `<strong>${text.site}</strong> · ${escape(p.name)} (${escape(mineralWords(p.minerals))})<br><small>${escape(p.source)}</small>`;
  }
  const escape = s => String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

  // Points closer than 30 pixels become one marker with their number.
  function draw() {
    layer.clearLayers();
    const cells = new Map();
    for (const item of visible()) {
      const [lon, lat] = item.feature.geometry.coordinates;
      const point = map.latLngToLayerPoint([lat, lon]);
      const key = `${Math.floor(point.x / 30)}:${Math.floor(point.y / 30)}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push({ item, lat, lon });
    }
    for (const group of cells.values()) {
      const lat = group.reduce((a, g) => a + g.lat, 0) / group.length;
      const lon = group.reduce((a, g) => a + g.lon, 0) / group.length;
      const incident = group.some(g => g.item.kind === 'incident');
      const marker = L.circleMarker([lat, lon], {
        radius: group.length > 1 ? 7 + Math.min(10, Math.log2(group.length) * 2) : 5,
        color: incident ? '#b3261e' : '#1f6f54', weight: 1, fillOpacity: 0.7,
      });
      // Built once when first opened: Leaflet calls the function again on each update, which must keep the page shown.
      let box;
      marker.bindPopup(group.length > 1 ? () => box ??= paged(group, marker) : describe(group[0].item));
      if (group.length > 1) marker.bindTooltip(String(group.length), { permanent: true, direction: 'center', className: 'count' });
      marker.addTo(layer);
    }
  }
  // A group's popup shows ten items at a time, with buttons to page (keyboard-usable, and the page number said aloud).
  function paged(group, marker) {
    const size = 10, pages = Math.ceil(group.length / size);
    const box = document.createElement('div');
    box.className = 'map-popup';
    let page = 0;
    const show = () => {
      const from = page * size, to = Math.min(group.length, from + size);
      const status = text.page.replace('{0}', from + 1).replace('{1}', to).replace('{2}', group.length);
      box.innerHTML = `<strong>${escape(text.group.replace('{0}', group.length))}</strong>`
        + `<ol start="${from + 1}">${group.slice(from, to).map(g => `<li>${describe(g.item)}</li>`).join('')}</ol>`
        + (pages > 1 ? `<p class="pager"><button type="button" data-step="-1"${page === 0 ? ' disabled' : ''}>${escape(text.previous)}</button>`
          + ` <span role="status">${escape(status)}</span> `
          + `<button type="button" data-step="1"${page === pages - 1 ? ' disabled' : ''}>${escape(text.next)}</button></p>` : '');
    };
    box.addEventListener('click', e => {
      const step = Number(e.target.dataset?.step || 0);
      if (!step) return;
      L.DomEvent.stopPropagation(e);
      page = Math.max(0, Math.min(pages - 1, page + step));
      show();
      marker.getPopup()?.update();
      const again = box.querySelector(`button[data-step="${step}"]:not([disabled])`) || box.querySelector('button:not([disabled])');
      if (again) again.focus();
    });
    show();
    return box;
  }
  // The download links carry the same filters, applied by the API.
  function links() {
    const query = new URLSearchParams(Object.entries(chosen()).filter(([k, v]) => v && k !== 'sites'));
    for (const format of ['csv', 'geojson']) {
      query.set('format', format);
      const link = document.getElementById(`download-${format}`);
      if (link) link.href = `/api/v1/incidents?${query}`;
    }
  }
  map.on('zoomend', draw);
  filters.addEventListener('change', () => { draw(); links(); });
})();
