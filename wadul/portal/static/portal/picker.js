// Report form: tap the server-drawn map to set latitude/longitude; or use the device's location.
(function () {
  "use strict";
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var svg = document.getElementById("picker");
  var pin = document.getElementById("picker-pin");
  if (!lat || !lng) return;

  function num(name) { return parseFloat(svg.getAttribute("data-" + name)); }

  function project(la, lo) {
    var minLat = num("min-lat"), maxLat = num("max-lat"), minLng = num("min-lng"), maxLng = num("max-lng");
    var margin = num("margin"), width = num("width");
    var cos = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
    var scale = (width - 2 * margin) / ((maxLng - minLng) * cos);
    return { x: margin + (lo - minLng) * cos * scale, y: margin + (maxLat - la) * scale, scale: scale, cos: cos };
  }

  function showPin() {
    if (!svg || lat.value === "" || lng.value === "") return;
    var p = project(parseFloat(lat.value), parseFloat(lng.value));
    pin.setAttribute("cx", p.x);
    pin.setAttribute("cy", p.y);
  }

  if (svg) {
    // With the map working, the raw coordinate boxes are only a fallback: keep their values
    // (the form posts them) but show the point on the map instead.
    var coords = document.querySelector(".coords");
    if (coords) coords.hidden = true;
    svg.addEventListener("click", function (event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var local = point.matrixTransform(svg.getScreenCTM().inverse());
      var p = project(num("min-lat"), num("min-lng"));
      var margin = num("margin");
      var lo = num("min-lng") + (local.x - margin) / (p.cos * p.scale);
      var la = num("max-lat") - (local.y - margin) / p.scale;
      lat.value = la.toFixed(6);
      lng.value = lo.toFixed(6);
      showPin();
    });
    lat.addEventListener("change", showPin);
    lng.addEventListener("change", showPin);
    showPin();
  }

  var locate = document.getElementById("locate");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lng.value = pos.coords.longitude.toFixed(6);
        showPin();
      });
    });
  }
})();
