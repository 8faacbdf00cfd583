// Starts GOV.UK Frontend's components on every page.
//
// GOV.UK's page template does this with an inline <script>, which the Content-Security-
// Policy we will send (no 'unsafe-inline') would block, so it lives in this file instead.
// Browsers run a module script only if they support ES modules, which is the same test the
// template's snippet makes before adding `govuk-frontend-supported`. Every page works
// without this file: it only adds the behaviour of components such as details and tabs.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
