// Every label the dashboard shows, in Danish (the default) and English.
// Views never hold text of their own: they ask t(key), so a new language is
// one more entry here.

export const dictionary = {
  da: {
    htmlLang: 'da',
    appName: 'Exit Hub',
    title: 'Exit Prostitution',
    subtitle: 'Tal for analytikere',
    language: 'Sprog',
    tokenLabel: 'Adgangstoken',
    tokenPlaceholder: 'Indsæt et token (eyJ…)',
    tokenUse: 'Brug',
    tokenForget: 'Glem',
    tokenMissing: 'Indsæt et token med rollen analyst for at se tallene.',
    signedInAs: 'Logget ind som',
    asOf: 'Opgørelsesdato',
    loading: 'Henter…',
    noData: 'Ingen data.',

    tableTitle: 'Personer hjulpet',
    tableSub: 'Ministerens tabel pr. {date}',
    colCategory: 'Kategori',
    colPersons: 'Personer',
    CTI: 'CTI-forløb',
    EXIT: 'Exitspor',
    LIFE_SITUATION: 'Livssituationsspor',
    OPEN: 'heraf igangværende',
    ENDED: 'heraf afsluttede',
    ORIENTATION: 'Orienteringsforløb',
    ACUTE_SUPPORT: 'Akut støtte og rådgivning',
    REFERRED_ELSEWHERE: 'Henvist til andre tilbud',
    personsHelped: 'Personer hjulpet i alt',
    countingRule: 'Hver person tælles én gang, i den første kategori der gælder: CTI-forløb, orienteringsforløb, akut støtte, henvisning.',
    atLeast: 'mindst {n}',
    atLeastNote: 'En delcelle er undertrykt; summen er et minimum.',
    underThreshold: 'under {n}',
    underThresholdNote: 'Tallet med støj er under {n} og vises ikke. Det sande tal kan være 0 eller større.',

    trendTitle: 'Personer pr. kategori over tid',
    trendSub: 'Eksakte landstal ultimo hver måned, {from} – {to}',
    trendMarker: 'Opgørelsesdato',

    muniTitle: 'Personer pr. kommune',
    muniSub: 'Månedsudgivelsen for {month} (pr. {date}). Tallene har støj (differential privacy); et tal med støj under {n} vises som »under {n}«.',
    short_CTI_OPEN_EXIT: 'CTI, exitspor',
    short_CTI_OPEN_LIFE_SITUATION: 'CTI, livssituation',
    short_CTI_ENDED_EXIT: 'CTI, exit (afsl.)',
    short_CTI_ENDED_LIFE_SITUATION: 'CTI, livssit. (afsl.)',
    short_ORIENTATION: 'Orientering',
    short_ACUTE_SUPPORT: 'Akut støtte',
    short_REFERRED_ELSEWHERE: 'Henvist videre',

    moneyTitle: 'Økonomi',
    moneySub: '{name} pr. {date}',
    frame: 'Ramme',
    granted: 'Bevilget',
    disbursed: 'Udbetalt',
    notGranted: 'Ikke bevilget',
    grantedNotPaid: 'Bevilget, ikke udbetalt',
    earmark: 'Øremærket',
    budgetLine: 'Budgetlinje',
    ofFrame: '{p} af rammen',
    inMio: 'mio. kr.',

    footer: 'Kilde: Exit Hub. Landstallene er eksakte; fordelinger er månedlige udgivelser med støj, og et tal med støj under {n} vises som »under {n}«.',

    decimal: ',',
    group: '.',
    mio: '{n} mio. kr.',
    kroner: '{n} kr.',
    percent: '{n} %',
    months: ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'],
    monthsShort: ['jan.', 'feb.', 'mar.', 'apr.', 'maj', 'jun.', 'jul.', 'aug.', 'sep.', 'okt.', 'nov.', 'dec.'],
    months: ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'],
    longDate: '{d}. {month} {y}',

    errorTitle: {
      UNAUTHENTICATED: 'Ikke logget ind',
      FORBIDDEN: 'Adgang nægtet',
      RATE_LIMITED: 'For mange forespørgsler',
      UNAVAILABLE: 'Tjenesten er utilgængelig',
      NETWORK: 'Ingen forbindelse',
      BAD_USER_INPUT: 'Ugyldig værdi',
      default: 'Fejl fra serveren',
    },
    errorText: {
      UNAUTHENTICATED: 'Tokenet mangler, er ugyldigt eller er udløbet. Indsæt et nyt.',
      FORBIDDEN: 'Din rolle må ikke se disse tal. Dashboardet er til rollen analyst.',
      RATE_LIMITED: 'Din organisation sender for mange forespørgsler lige nu. Prøv igen om lidt.',
      UNAVAILABLE: 'Databasen svarer ikke lige nu. Prøv igen om lidt.',
      NETWORK: 'Serveren kunne ikke nås.',
      BAD_USER_INPUT: 'Serveren afviste en værdi, som dashboardet sendte.',
      default: 'Serveren kunne ikke svare på forespørgslen.',
    },
    errorField: 'Det gælder feltet »{field}«.',
    fields: { asOf: 'Opgørelsesdato', from: 'Fra', to: 'Til', groupBy: 'Opdeling' },
    serverSaid: 'Serverens besked: {m}',
  },

  en: {
    htmlLang: 'en',
    appName: 'Exit Hub',
    title: 'Exit Prostitution',
    subtitle: 'Figures for analysts',
    language: 'Language',
    tokenLabel: 'Access token',
    tokenPlaceholder: 'Paste a token (eyJ…)',
    tokenUse: 'Use',
    tokenForget: 'Forget',
    tokenMissing: 'Paste a token with the role analyst to see the figures.',
    signedInAs: 'Signed in as',
    asOf: 'As of',
    loading: 'Loading…',
    noData: 'No data.',

    tableTitle: 'Persons helped',
    tableSub: "The minister's table as of {date}",
    colCategory: 'Category',
    colPersons: 'Persons',
    CTI: 'CTI courses',
    EXIT: 'Exit track',
    LIFE_SITUATION: 'Life-situation track',
    OPEN: 'of which ongoing',
    ENDED: 'of which ended',
    ORIENTATION: 'Orientation courses',
    ACUTE_SUPPORT: 'Acute support and counselling',
    REFERRED_ELSEWHERE: 'Referred to other offers',
    personsHelped: 'Persons helped in all',
    countingRule: 'Each person is counted once, in the first category that applies: CTI course, orientation course, acute support, referral.',
    atLeast: 'at least {n}',
    atLeastNote: 'A part is suppressed; the sum is a minimum.',
    underThreshold: 'under {n}',
    underThresholdNote: 'The noisy count is under {n} and not shown. The true count may be 0 or more.',

    trendTitle: 'Persons by category over time',
    trendSub: 'Exact national figures at the end of each month, {from} – {to}',
    trendMarker: 'As of',

    muniTitle: 'Persons by municipality',
    muniSub: 'The monthly release for {month} (as of {date}). The figures carry noise (differential privacy); a noisy count under {n} reads "under {n}".',
    short_CTI_OPEN_EXIT: 'CTI, exit',
    short_CTI_OPEN_LIFE_SITUATION: 'CTI, life situation',
    short_CTI_ENDED_EXIT: 'CTI, exit (ended)',
    short_CTI_ENDED_LIFE_SITUATION: 'CTI, life sit. (ended)',
    short_ORIENTATION: 'Orientation',
    short_ACUTE_SUPPORT: 'Acute support',
    short_REFERRED_ELSEWHERE: 'Referred on',

    moneyTitle: 'Funding',
    moneySub: '{name} as of {date}',
    frame: 'Frame',
    granted: 'Granted',
    disbursed: 'Disbursed',
    notGranted: 'Not granted',
    grantedNotPaid: 'Granted, not disbursed',
    earmark: 'Earmark',
    budgetLine: 'Budget line',
    ofFrame: '{p} of the frame',
    inMio: 'DKK m',

    footer: 'Source: Exit Hub. National figures are exact; breakdowns are monthly releases with noise, and a noisy count under {n} reads "under {n}".',

    decimal: '.',
    group: ',',
    mio: 'DKK {n}m',
    kroner: 'DKK {n}',
    percent: '{n}%',
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    monthsShort: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    longDate: '{d} {month} {y}',

    errorTitle: {
      UNAUTHENTICATED: 'Not signed in',
      FORBIDDEN: 'Access denied',
      RATE_LIMITED: 'Too many requests',
      UNAVAILABLE: 'Service unavailable',
      NETWORK: 'No connection',
      BAD_USER_INPUT: 'A value was refused',
      default: 'Error from the server',
    },
    errorText: {
      UNAUTHENTICATED: 'The token is missing, invalid or expired. Paste a new one.',
      FORBIDDEN: 'Your role may not see these figures. The dashboard is for the role analyst.',
      RATE_LIMITED: 'Your organisation is sending too many requests. Try again shortly.',
      UNAVAILABLE: 'The database is not answering right now. Try again shortly.',
      NETWORK: 'The server could not be reached.',
      BAD_USER_INPUT: 'The server refused a value the dashboard sent.',
      default: 'The server could not answer the request.',
    },
    errorField: 'It concerns the field “{field}”.',
    fields: { asOf: 'As of', from: 'From', to: 'To', groupBy: 'Breakdown' },
    serverSaid: 'The server said: {m}',
  },
};

export const languages = Object.keys(dictionary);

let current = 'da';

/** Chooses the language; an unknown one leaves the current in place. */
export function setLanguage(lang) {
  if (dictionary[lang]) current = lang;
  return current;
}

export function language() {
  return current;
}

/** The entry for key in the current language (Danish as the fallback). */
export function entry(key) {
  return dictionary[current][key] ?? dictionary.da[key];
}

/** The label for key with {name} placeholders filled from vars. */
export function t(key, vars = {}) {
  const text = entry(key);
  if (typeof text !== 'string') return key;
  return fill(text, vars);
}

/** Fills {name} placeholders in a template. */
export function fill(template, vars) {
  return template.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}
