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
  const map = L.map(element, { zoomSnap: 0.5, zoomControl: false }).setView([2, 20], 4.5);
  // i18 map: the zoom buttons' tooltips in the reader's language.
  L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);
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
      // Each country named in the reader's language, in the middle of its box unless the table below places it better.
      onEachFeature: (feature, shape) => {
        if (!names[feature.id]) return;
        const b = shape.getBounds(), label = L.tooltip({ permanent: true, direction: 'center', className: 'country', interactive: false })
          .setLatLng(places[feature.id] || b.getCenter()).setContent(escape(names[feature.id])).addTo(labels);
        label.area = (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth());
      },
    }).addTo(map).bringToBack();
    declutter();
  });
  // i18 map: where a box's middle misses the country or lands on a neighbour's name (world-atlas id → latitude, longitude).
  const places = { '178': [0.6, 16.3], '266': [-1.6, 11.0], '120': [5.0, 12.6], '180': [-3.5, 23.5], '024': [-12.3, 17.6], '508': [-16.5, 36.0], '834': [-6.3, 34.8] };
  // i18 map: a name that would touch a larger country's name at this zoom is hidden until the reader zooms in.
  function declutter() {
    const kept = [];
    for (const label of labels.getLayers().sort((a, b) => b.area - a.area)) {
      const element = label.getElement();
      if (!element) continue;
      element.classList.remove('hidden');
      const box = element.getBoundingClientRect();
      if (kept.some(k => box.left < k.right + 4 && k.left < box.right + 4 && box.top < k.bottom + 2 && k.top < box.bottom + 2)) element.classList.add('hidden');
      else kept.push(box);
    }
  }
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
      : `<strong>${text.site}</strong> · ${escape(p.name)} (${escape(mineralWords(p.minerals))})`;
  }
  // i18 map: the sources of the items shown, said once under them rather than after each.
  const credit = items => {
    const sources = [...new Set(items.filter(i => i.kind === 'site').map(i => i.feature.properties.source).filter(Boolean))];
    return sources.length ? `<p class="credit"><small>${escape(sources.join(' · '))}</small></p>` : '';
  };
  const escape = s => String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

  // i18 map: points whose marks would touch at this zoom become one mark with their number; groups whose circles
  // would touch (their square boxes, which also keeps the circles apart) merge again, so that no two marks overlap and a click or a tap always opens the group it lands on.
  const diameter = n => n > 1 ? Math.round(20 + Math.min(10, Math.log2(n) * 1.5)) : 12;
  function groups() {
    let all = visible().map(item => {
      const [lon, lat] = item.feature.geometry.coordinates;
      const point = map.latLngToLayerPoint([lat, lon]);
      return { items: [{ item, lat, lon }], x: point.x, y: point.y };
    });
    for (let merged = true; merged;) {
      merged = false;
      const next = [];
      for (const g of all) {
        const gap = h => (diameter(g.items.length) + diameter(h.items.length)) / 2 + 3;
        const near = next.find(h => Math.abs(g.x - h.x) < gap(h) && Math.abs(g.y - h.y) < gap(h));
        if (!near) { next.push(g); continue; }
        const n = near.items.length, m = g.items.length;
        near.x = (near.x * n + g.x * m) / (n + m); near.y = (near.y * n + g.y * m) / (n + m);
        near.items.push(...g.items);
        merged = true;
      }
      all = next;
    }
    return all;
  }
  function draw() {
    layer.clearLayers();
    // The popup never wider than the map, with room for its borders and the padding kept around it.
    const maxWidth = Math.max(160, Math.min(320, map.getSize().x - 70));
    const popup = { maxWidth, minWidth: Math.min(200, maxWidth), autoPanPaddingTopLeft: L.point(10, 90), autoPanPadding: L.point(10, 10), keepInView: true };
    for (const { items: group, x, y } of groups()) {
      const incident = group.some(g => g.item.kind === 'incident'), n = group.length, d = diameter(n);
      const one = group[0].item, label = n > 1 ? text.group.replace('{0}', n)
        : one.kind === 'incident' ? `${text.incident} · ${one.feature.properties.occurredOn}` : `${text.site} · ${one.feature.properties.name}`;
      // A marker, not an SVG circle: the keyboard reaches it with Tab and opens its popup with Enter.
      const marker = L.marker(map.layerPointToLatLng([x, y]), {
        keyboard: true, title: label, alt: label, riseOnHover: true,
        icon: L.divIcon({ className: `cluster ${incident ? 'incident' : 'site'}${n > 1 ? ' group' : ''}`, iconSize: [d, d], html: n > 1 ? String(n) : '' }),
      });
      // Built once when first opened: Leaflet calls the function again on each update, which must keep the page shown.
      let box;
      marker.bindPopup(n > 1 ? () => box ??= paged(group, marker) : describe(group[0].item) + credit([group[0].item]), popup);
      marker.on('add', () => { const e = marker.getElement(); e.setAttribute('role', 'button'); e.setAttribute('aria-label', label); });
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
        + (text.zoomGroup && map.getZoom() < map.getMaxZoom() ? ` <button type="button" data-zoom-group>${escape(text.zoomGroup)}</button>` : '')
        + `<ol start="${from + 1}">${group.slice(from, to).map(g => `<li>${describe(g.item)}</li>`).join('')}</ol>`
        + credit(group.map(g => g.item))
        + (pages > 1 ? `<p class="pager"><button type="button" data-step="-1"${page === 0 ? ' disabled' : ''}>${escape(text.previous)}</button>`
          + ` <span role="status">${escape(status)}</span> `
          + `<button type="button" data-step="1"${page === pages - 1 ? ' disabled' : ''}>${escape(text.next)}</button></p>` : '');
    };
    box.addEventListener('click', e => {
      // A large group is easier read closer: the map zooms to its points, whose groups then split.
      if (e.target.dataset?.zoomGroup !== undefined) {
        L.DomEvent.stopPropagation(e);
        map.closePopup();
        map.fitBounds(L.latLngBounds(group.map(g => [g.lat, g.lon])), { padding: [30, 30], maxZoom: map.getZoom() + 3 });
        return;
      }
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
  map.on('zoomend', () => { draw(); declutter(); });
  // i18 map: Leaflet's close button says "Close popup" in English; say it in the reader's language.
  map.on('popupopen', e => {
    const close = e.popup.getElement()?.querySelector('.leaflet-popup-close-button');
    if (close && text.close) { close.setAttribute('aria-label', text.close); close.title = text.close; }
  });
  filters.addEventListener('change', () => { draw(); links(); });
})();
