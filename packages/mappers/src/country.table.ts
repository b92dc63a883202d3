/**
 * Recognising the country of a Plex address. Plex keeps the country as free text from a setup
 * table ("USA", "United States", "Deutschland", "MX" all occur), while Mailchimp e-commerce wants
 * an ISO 3166-1 alpha-2 `country_code` and phone matching wants the calling code. The table holds
 * the countries a discrete manufacturer's customers commonly sit in; anything else is left
 * unrecognised (the free text still goes out as `country`), never guessed.
 */
import { cleanText } from "./text.normalizer.js";

type TCountry = { code: string; callingCode: string; names: string[] };

/** ISO 3166-1 alpha-2 and alpha-3 codes are matched too; names are compared without accents. */
const COUNTRIES: TCountry[] = [
  {
    code: "US",
    callingCode: "1",
    names: ["usa", "united states", "united states of america", "america", "u s", "u s a"],
  },
  { code: "CA", callingCode: "1", names: ["can", "canada"] },
  { code: "MX", callingCode: "52", names: ["mex", "mexico", "estados unidos mexicanos"] },
  { code: "DE", callingCode: "49", names: ["deu", "germany", "deutschland"] },
  {
    code: "GB",
    callingCode: "44",
    names: ["gbr", "uk", "united kingdom", "great britain", "england", "scotland", "wales"],
  },
  { code: "HU", callingCode: "36", names: ["hun", "hungary", "magyarorszag"] },
  { code: "CN", callingCode: "86", names: ["chn", "china", "prc", "people s republic of china"] },
  { code: "FR", callingCode: "33", names: ["fra", "france"] },
  { code: "IT", callingCode: "39", names: ["ita", "italy", "italia"] },
  { code: "ES", callingCode: "34", names: ["esp", "spain", "espana"] },
  { code: "PT", callingCode: "351", names: ["prt", "portugal"] },
  { code: "NL", callingCode: "31", names: ["nld", "netherlands", "the netherlands", "holland"] },
  { code: "BE", callingCode: "32", names: ["bel", "belgium", "belgique", "belgie"] },
  { code: "CH", callingCode: "41", names: ["che", "switzerland", "schweiz", "suisse"] },
  { code: "AT", callingCode: "43", names: ["aut", "austria", "osterreich"] },
  { code: "PL", callingCode: "48", names: ["pol", "poland", "polska"] },
  { code: "CZ", callingCode: "420", names: ["cze", "czechia", "czech republic"] },
  { code: "SK", callingCode: "421", names: ["svk", "slovakia"] },
  { code: "SI", callingCode: "386", names: ["svn", "slovenia"] },
  { code: "RO", callingCode: "40", names: ["rou", "romania"] },
  { code: "SE", callingCode: "46", names: ["swe", "sweden", "sverige"] },
  { code: "DK", callingCode: "45", names: ["dnk", "denmark", "danmark"] },
  { code: "NO", callingCode: "47", names: ["nor", "norway", "norge"] },
  { code: "FI", callingCode: "358", names: ["fin", "finland", "suomi"] },
  { code: "IE", callingCode: "353", names: ["irl", "ireland"] },
  { code: "TR", callingCode: "90", names: ["tur", "turkey", "turkiye"] },
  { code: "IL", callingCode: "972", names: ["isr", "israel"] },
  { code: "ZA", callingCode: "27", names: ["zaf", "south africa"] },
  { code: "IN", callingCode: "91", names: ["ind", "india"] },
  { code: "JP", callingCode: "81", names: ["jpn", "japan"] },
  { code: "KR", callingCode: "82", names: ["kor", "south korea", "korea", "republic of korea"] },
  { code: "TW", callingCode: "886", names: ["twn", "taiwan"] },
  { code: "TH", callingCode: "66", names: ["tha", "thailand"] },
  { code: "VN", callingCode: "84", names: ["vnm", "vietnam", "viet nam"] },
  { code: "MY", callingCode: "60", names: ["mys", "malaysia"] },
  { code: "SG", callingCode: "65", names: ["sgp", "singapore"] },
  { code: "ID", callingCode: "62", names: ["idn", "indonesia"] },
  { code: "PH", callingCode: "63", names: ["phl", "philippines"] },
  { code: "AU", callingCode: "61", names: ["aus", "australia"] },
  { code: "NZ", callingCode: "64", names: ["nzl", "new zealand"] },
  { code: "BR", callingCode: "55", names: ["bra", "brazil", "brasil"] },
  { code: "AR", callingCode: "54", names: ["arg", "argentina"] },
  { code: "CL", callingCode: "56", names: ["chl", "chile"] },
  { code: "CO", callingCode: "57", names: ["col", "colombia"] },
];

const BY_KEY = new Map<string, TCountry>();
for (const country of COUNTRIES) {
  BY_KEY.set(country.code.toLowerCase(), country);
  for (const name of country.names) BY_KEY.set(name, country);
}

function lookupKey(value: string): string {
  return value
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^a-z]+/g, " ")
    .trim();
}

function lookup(value: unknown): TCountry | undefined {
  const text = cleanText(value, 80);

  return text === undefined ? undefined : BY_KEY.get(lookupKey(text));
}

/** ISO 3166-1 alpha-2 code of a country name or code, when the table knows it. */
export function countryCode(value: unknown): string | undefined {
  return lookup(value)?.code;
}

/** International calling code (digits, no plus) of a country name or code. */
export function callingCode(value: unknown): string | undefined {
  return lookup(value)?.callingCode;
}
