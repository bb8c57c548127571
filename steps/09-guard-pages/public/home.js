// The home page's "Sign out" button: POST /gdisconnect from this script (the server wants
// X-Requested-With), then the page again, signed out.
(function () {
  var button = document.getElementById('signout');
  var result = document.getElementById('result');
  if (!button) return;

  button.addEventListener('click', function () {
    button.disabled = true;
    result.textContent = 'Signing out…';
    fetch('/gdisconnect', { method: 'POST', credentials: 'same-origin', headers: { 'X-Requested-With': 'XMLHttpRequest' } })
      .then(function (response) {
        return response.json().then(function (message) {
          // Signed out whatever Google said: the page shows it, and then the page signed out.
          result.textContent = response.ok ? message : 'Signed out, but: ' + message + ' (' + response.status + ')';
          setTimeout(function () {
            window.location.reload();
          }, 1500);
        });
      })
      .catch(function () {
        button.disabled = false;
        result.textContent = 'Could not reach the server: is it still running?';
      });
  });
})();
