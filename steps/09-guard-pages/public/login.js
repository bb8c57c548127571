// Google Identity Services' code client: the popup gives a one-time code, which this page
// sends to POST /gconnect with the state token the server put in the page.
(function () {
  var button = document.getElementById('signin');
  var block = document.getElementById('signin-block');
  var result = document.getElementById('result');
  var clientId = button.dataset.clientId;
  var state = button.dataset.state;
  // Where the server says to go once signed in (a path of this site: it checked ?next=).
  var next = /^\/(?![/\\])/.test(block.dataset.next || '') ? block.dataset.next : '/';

  function show(text) {
    result.textContent = text;
  }

  var problems = {
    popup_closed: 'The sign-in window was closed before an account was chosen.',
    popup_failed_to_open: 'The browser blocked the sign-in window: allow pop-ups for this site and try again.',
  };

  function sendCode(code) {
    show('Signing in…');
    fetch('/gconnect?state=' + encodeURIComponent(state), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/octet-stream; charset=utf-8',
        'X-Requested-With': 'XMLHttpRequest',
      },
      body: code,
    })
      .then(function (response) {
        return response.text().then(function (text) {
          var type = response.headers.get('Content-Type') || '';
          var html = type.indexOf('text/html') === 0;
          var message = text;
          if (!html) {
            try {
              message = JSON.parse(text);
            } catch {
              message = text;
            }
          }
          if (!response.ok) {
            show('Sign-in failed (' + response.status + '): ' + message);
            // The state just sent is spent: fetch a fresh one, so that the next try works.
            freshState();
            return;
          }
          // Signed in: the welcome takes the sign-in button's place, then the page that sent here.
          block.hidden = true;
          if (html)
            result.innerHTML = text; // the server's welcome: rendered by pug, every value escaped
          else show(message);
          var onward = document.createElement('p');
          onward.append(next === '/' ? 'Taking you to the home page… ' : 'Taking you back… ');
          var link = document.createElement('a');
          link.href = next;
          link.textContent = 'Go now';
          onward.append(link);
          result.append(onward);
          setTimeout(function () {
            window.location.href = next;
          }, 3000);
        });
      })
      .catch(function () {
        show('Could not reach the server: is it still running?');
      });
  }

  /** A new state from the login page, as a reload would give (and a new cookie with it). */
  function freshState() {
    fetch('/login', { credentials: 'same-origin' })
      .then(function (response) {
        return response.text();
      })
      .then(function (page) {
        var found = /data-state="([^"]*)"/.exec(page);
        if (found) state = button.dataset.state = found[1];
      })
      .catch(function () {});
  }

  button.addEventListener('click', function () {
    var oauth2 = window.google && window.google.accounts && window.google.accounts.oauth2;
    if (!oauth2) {
      show('The Google sign-in script did not load: check the network, or run offline.');
      return;
    }
    oauth2
      .initCodeClient({
        client_id: clientId,
        scope: 'openid email profile',
        ux_mode: 'popup',
        callback: function (response) {
          if (response.code) sendCode(response.code);
          else show('Google did not sign you in: ' + (response.error || 'no code'));
        },
        error_callback: function (error) {
          show(problems[error.type] || 'Sign-in failed: ' + error.type);
        },
      })
      .requestCode();
  });
})();
