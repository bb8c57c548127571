// The offline stand-in for https://accounts.google.com/gsi/client: the subset of Google
// Identity Services' code client the kit uses (initCodeClient, requestCode, callback,
// error_callback), with the fake Google's consent window as the popup.
// FAKE_GOOGLE_ORIGIN is defined by the line the fake puts before this file.
(function () {
  'use strict';
  var POPUP = 'width=480,height=640,left=100,top=100';

  function initCodeClient(config) {
    return {
      requestCode: function () {
        var nonce = Math.random().toString(36).slice(2);
        var url =
          FAKE_GOOGLE_ORIGIN +
          '/o/oauth2/v2/auth?' +
          new URLSearchParams({
            client_id: config.client_id || '',
            scope: config.scope || '',
            response_type: 'code',
            redirect_uri: 'postmessage',
            origin: window.location.origin,
            nonce: nonce,
          });
        var popup = window.open(url, 'gsi-offline-stand-in', POPUP);
        function fail(type) {
          if (typeof config.error_callback === 'function') config.error_callback({ type: type, message: type });
        }
        if (!popup) return fail('popup_failed_to_open');

        var answered = false;
        function onMessage(event) {
          var data = event.data;
          if (event.origin !== FAKE_GOOGLE_ORIGIN || !data || data.type !== 'gsi-offline-answer' || data.nonce !== nonce) return;
          answered = true;
          window.removeEventListener('message', onMessage);
          config.callback(
            data.code
              ? { code: data.code, scope: data.scope, authuser: '0', prompt: 'consent' }
              : { error: data.error, error_description: data.error_description },
          );
        }
        window.addEventListener('message', onMessage);
        // Like GIS: a window closed without an answer is reported as popup_closed. The window
        // closes itself right after posting its answer, so a closed window may still have an
        // answer on its way: give it a moment before calling the window closed unanswered.
        var watch = setInterval(function () {
          if (answered) return clearInterval(watch);
          if (!popup.closed) return;
          clearInterval(watch);
          setTimeout(function () {
            if (answered) return;
            window.removeEventListener('message', onMessage);
            fail('popup_closed');
          }, 500);
        }, 250);
      },
    };
  }

  window.google = window.google || {};
  window.google.accounts = window.google.accounts || {};
  window.google.accounts.oauth2 = { initCodeClient: initCodeClient };
})();
