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
  let incidents = [], sites = [];

  const load = url => fetch(url, { headers: { Accept: 'application/json' } }).then(r => r.ok ? r.json() : { features: [] });
  load('/data/central-africa.json').then(outlines => {
    L.geoJSON(outlines, { style: { color: '#6b7c74', weight: 1, fillColor: '#eef1ef', fillOpacity: 1 } }).addTo(map).bringToBack();
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
      marker.bindPopup(group.length > 1
        ? `<strong>${text.group.replace('{0}', group.length)}</strong><br>${group.slice(0, 8).map(g => describe(g.item)).join('<hr>')}`
        : describe(group[0].item));
      if (group.length > 1) marker.bindTooltip(String(group.length), { permanent: true, direction: 'center', className: 'count' });
      marker.addTo(layer);
    }
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
