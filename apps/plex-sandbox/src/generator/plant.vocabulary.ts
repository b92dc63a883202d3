/**
 * Word lists the plant generator draws from: a discrete manufacturer's customers (OEMs, tier
 * suppliers, distributors) in the regions such a plant ships to, the parts it makes, the carriers
 * it uses. Setup-table values (status, type, …) are free strings per tenant in Plex
 * (reference/plex-api.md §2.3); these are plausible ones, not an official list.
 */

export const INDUSTRIES = [
  "Automotive",
  "Aerospace & Defense",
  "Medical Devices",
  "Industrial Machinery",
  "Electronics",
  "Food & Beverage",
  "Packaging",
  "Heavy Equipment",
  "Consumer Products",
  "Energy",
  "Agriculture Equipment",
  "Building Products",
] as const;

export const CUSTOMER_TYPES = ["OEM", "Tier 1", "Tier 2", "Distributor", "Aftermarket"] as const;
export const CUSTOMER_CATEGORIES = ["Key Account", "Standard", "Prospect", "Intercompany"] as const;
export const CUSTOMER_RATINGS = ["A", "B", "C", "D"] as const;
export const BUSINESS_TYPES = [
  "Corporation",
  "LLC",
  "Partnership",
  "GmbH",
  "S.A. de C.V.",
] as const;

export const NAME_STEMS = [
  "Apex",
  "Summit",
  "Great Lakes",
  "Keystone",
  "Northstar",
  "Precision",
  "Allied",
  "Midwest",
  "Pioneer",
  "Liberty",
  "Ironwood",
  "Cascade",
  "Harbor",
  "Granite",
  "Sterling",
  "Frontier",
  "Lakeshore",
  "Redline",
  "Bluewater",
  "Tri-State",
  "Heartland",
  "Meridian",
  "Atlas",
  "Vanguard",
  "Crown",
  "Eagle",
  "Horizon",
  "Patriot",
  "Riverbend",
  "Silverline",
  "Titan",
  "Union",
] as const;

export const NAME_SUFFIXES = [
  "Manufacturing",
  "Industries",
  "Motors",
  "Components",
  "Systems",
  "Fabrication",
  "Metalworks",
  "Technologies",
  "Assemblies",
  "Plastics",
  "Machine Works",
  "Equipment",
  "Tooling",
  "Controls",
] as const;

export const LEGAL_FORMS = ["Inc.", "LLC", "Corp.", "Co.", "Ltd."] as const;

/** Names with accents, ligatures and non-Latin scripts: the Unicode cases a mapper must keep. */
export const UNICODE_NAMES = [
  "Müller Präzisionsteile GmbH",
  "Société Générale d'Usinage",
  "Łódź Metal Sp. z o.o.",
  "Açores Fundição Lda.",
  "Øresund Automation ApS",
  "Industrias Metálicas del Bajío",
  "株式会社サクラ精機",
  "Žilina Strojárne a.s.",
  "Göteborgs Gjuteri AB",
  "Ünal Otomotiv A.Ş.",
  "Ελληνική Μηχανική Α.Ε.",
  "Nguyễn Cơ Khí Co.",
  "Straße & Söhne KG",
  "Café Équipement Québec",
] as const;

export type TCity = {
  city: string;
  state: string;
  country: string;
  region: string;
  zipPrefix: string;
  phonePrefix: string;
};

export const CITIES: readonly TCity[] = [
  {
    city: "Detroit",
    state: "MI",
    country: "USA",
    region: "Midwest",
    zipPrefix: "482",
    phonePrefix: "+1 313",
  },
  {
    city: "Grand Rapids",
    state: "MI",
    country: "USA",
    region: "Midwest",
    zipPrefix: "495",
    phonePrefix: "+1 616",
  },
  {
    city: "Auburn Hills",
    state: "MI",
    country: "USA",
    region: "Midwest",
    zipPrefix: "483",
    phonePrefix: "+1 248",
  },
  {
    city: "Toledo",
    state: "OH",
    country: "USA",
    region: "Midwest",
    zipPrefix: "436",
    phonePrefix: "+1 419",
  },
  {
    city: "Columbus",
    state: "OH",
    country: "USA",
    region: "Midwest",
    zipPrefix: "432",
    phonePrefix: "+1 614",
  },
  {
    city: "Fort Wayne",
    state: "IN",
    country: "USA",
    region: "Midwest",
    zipPrefix: "468",
    phonePrefix: "+1 260",
  },
  {
    city: "Chicago",
    state: "IL",
    country: "USA",
    region: "Midwest",
    zipPrefix: "606",
    phonePrefix: "+1 312",
  },
  {
    city: "Milwaukee",
    state: "WI",
    country: "USA",
    region: "Midwest",
    zipPrefix: "532",
    phonePrefix: "+1 414",
  },
  {
    city: "Nashville",
    state: "TN",
    country: "USA",
    region: "Southeast",
    zipPrefix: "372",
    phonePrefix: "+1 615",
  },
  {
    city: "Greenville",
    state: "SC",
    country: "USA",
    region: "Southeast",
    zipPrefix: "296",
    phonePrefix: "+1 864",
  },
  {
    city: "Huntsville",
    state: "AL",
    country: "USA",
    region: "Southeast",
    zipPrefix: "358",
    phonePrefix: "+1 256",
  },
  {
    city: "Houston",
    state: "TX",
    country: "USA",
    region: "South",
    zipPrefix: "770",
    phonePrefix: "+1 713",
  },
  {
    city: "Wichita",
    state: "KS",
    country: "USA",
    region: "Central",
    zipPrefix: "672",
    phonePrefix: "+1 316",
  },
  {
    city: "Seattle",
    state: "WA",
    country: "USA",
    region: "West",
    zipPrefix: "981",
    phonePrefix: "+1 206",
  },
  {
    city: "Windsor",
    state: "ON",
    country: "Canada",
    region: "Canada",
    zipPrefix: "N9A",
    phonePrefix: "+1 519",
  },
  {
    city: "Montréal",
    state: "QC",
    country: "Canada",
    region: "Canada",
    zipPrefix: "H3B",
    phonePrefix: "+1 514",
  },
  {
    city: "Monterrey",
    state: "NL",
    country: "Mexico",
    region: "Mexico",
    zipPrefix: "640",
    phonePrefix: "+52 81",
  },
  {
    city: "Querétaro",
    state: "QRO",
    country: "Mexico",
    region: "Mexico",
    zipPrefix: "760",
    phonePrefix: "+52 442",
  },
  {
    city: "Saltillo",
    state: "COAH",
    country: "Mexico",
    region: "Mexico",
    zipPrefix: "250",
    phonePrefix: "+52 844",
  },
  {
    city: "Stuttgart",
    state: "BW",
    country: "Germany",
    region: "EMEA",
    zipPrefix: "701",
    phonePrefix: "+49 711",
  },
  {
    city: "München",
    state: "BY",
    country: "Germany",
    region: "EMEA",
    zipPrefix: "803",
    phonePrefix: "+49 89",
  },
  {
    city: "Győr",
    state: "GS",
    country: "Hungary",
    region: "EMEA",
    zipPrefix: "902",
    phonePrefix: "+36 96",
  },
  {
    city: "Birmingham",
    state: "WMD",
    country: "United Kingdom",
    region: "EMEA",
    zipPrefix: "B1",
    phonePrefix: "+44 121",
  },
  {
    city: "Suzhou",
    state: "JS",
    country: "China",
    region: "APAC",
    zipPrefix: "215",
    phonePrefix: "+86 512",
  },
];

export const STREETS = [
  "Industrial Pkwy",
  "Commerce Dr",
  "Main St",
  "Enterprise Ave",
  "Technology Blvd",
  "Mill Rd",
  "Harbor Way",
  "Foundry Ln",
  "Airport Rd",
  "Research Ct",
] as const;

export const FIRST_NAMES = [
  "James",
  "Maria",
  "Robert",
  "Linda",
  "Michael",
  "Patricia",
  "David",
  "Jennifer",
  "Carlos",
  "Ana",
  "Wei",
  "Mei",
  "Ahmed",
  "Fatima",
  "Jürgen",
  "Zoë",
  "Łukasz",
  "José",
  "Siobhán",
  "Raj",
  "Emily",
  "Daniel",
  "Sarah",
  "Thomas",
  "Olga",
  "Kenji",
  "Ngozi",
  "François",
  "Ines",
  "Tomás",
] as const;

export const LAST_NAMES = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Garcia",
  "Martinez",
  "Nguyen",
  "Kowalski",
  "Müller",
  "Schmidt",
  "O'Brien",
  "Patel",
  "Kim",
  "Hernández",
  "Rossi",
  "Dubois",
  "Novak",
  "Yamamoto",
  "Andersson",
  "Okafor",
  "Cohen",
  "Silva",
  "Ivanova",
  "Wright",
  "López",
  "Fischer",
] as const;

export const CONTACT_TITLES = [
  "Purchasing Manager",
  "Buyer",
  "Supply Chain Director",
  "Quality Engineer",
  "Plant Manager",
  "Accounts Payable",
  "Materials Planner",
  "VP Operations",
  "Logistics Coordinator",
] as const;
export const CONTACT_TYPES = [
  "Purchasing",
  "Quality",
  "Accounting",
  "Engineering",
  "Logistics",
] as const;

/** Product categories (part `productType`) and the part names made in each. */
export const PRODUCT_CATEGORIES: readonly { category: string; group: string; names: string[] }[] = [
  {
    category: "Brackets",
    group: "Stamping",
    names: ["Mounting Bracket", "L-Bracket", "Support Bracket"],
  },
  {
    category: "Housings",
    group: "Die Casting",
    names: ["Gearbox Housing", "Pump Housing", "Sensor Housing"],
  },
  {
    category: "Fasteners",
    group: "Cold Heading",
    names: ["Flange Bolt", "Hex Nut", "Shoulder Screw"],
  },
  {
    category: "Machined Components",
    group: "Machining",
    names: ["Drive Shaft", "Valve Body", "Bushing"],
  },
  { category: "Injection Molded", group: "Molding", names: ["Bezel", "Connector Shell", "Clip"] },
  {
    category: "Assemblies",
    group: "Assembly",
    names: ["Hinge Assembly", "Pedal Assembly", "Seat Track"],
  },
  { category: "Castings", group: "Foundry", names: ["Brake Caliper", "Manifold", "Impeller"] },
  {
    category: "Tubing",
    group: "Tube Bending",
    names: ["Fuel Line", "Coolant Tube", "Exhaust Pipe"],
  },
];
export const PART_TYPES = ["Finished Good", "Sub Assembly", "Raw Material"] as const;
export const PART_MATERIALS = ["Steel", "Aluminum", "Stainless", "Brass", "PA66", "ABS"] as const;

export const CARRIERS: readonly { name: string; tracking: "ups" | "fedex" | "ltl" | "dhl" }[] = [
  { name: "UPS Freight", tracking: "ups" },
  { name: "FedEx Ground", tracking: "fedex" },
  { name: "XPO Logistics", tracking: "ltl" },
  { name: "Old Dominion", tracking: "ltl" },
  { name: "DHL Express", tracking: "dhl" },
  { name: "Customer Pickup", tracking: "ltl" },
];

export const ORDER_TYPES = ["Blanket", "Spot Buy", "Prototype"] as const;
export const TERMS = ["Net 30", "Net 45", "Net 60", "2% 10 Net 30"] as const;
export const FREIGHT_TERMS = ["Prepaid", "Collect", "Prepaid & Add"] as const;
export const INCO_TERMS = ["FCA", "EXW", "DAP", "DDP"] as const;
export const CONTAINER_TYPES = ["Returnable Tote", "Cardboard Box", "Pallet", "Gaylord"] as const;

/** Free-mail and company domains; public ones show up on small customers. */
export const FREE_MAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "web.de"] as const;
