/**
 * Which browsers' profiles each target reads, in words for the "cannot
 * check" lines: an extension id is found only in the browsers whose profiles
 * the table walks.
 */

/** osquery/tables/applications/chrome/utils.cpp (its per-OS path lists), and firefox_addons (Firefox profiles only). */
export const OSQUERY_BROWSERS =
  "osquery's chrome_extensions reads the profiles of Chrome (stable, beta, dev, canary), Chromium, Edge (macOS, Windows), Brave, Opera, Vivaldi, Yandex and Island, and firefox_addons those of Firefox";

/** fleetdm/fleet orbit/pkg/table/ai_tools/internal/browserext/browserext.go (chromiumSubs, geckoRoots): what it reads beyond osquery's lists. */
export const FLEETD_EXTRA_BROWSERS = 'Arc and Dia (macOS, Windows), Comet, Edge on Linux, Zen, LibreWolf and Waterfox';

export const BROWSERS_OSQUERY_MISSES = 'browser extensions outside the browsers osquery reads';
