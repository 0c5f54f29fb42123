package generate

// Fixed reference tables: the places, organisations and name parts the
// generator draws from. They are small and constant; everything that scales
// with --entities is derived from them by index.

type country struct {
	code, name, demonym string
	sea                 bool // located in Southeast Asia (LOCATED_IN the region node)
	hub                 int  // weight as a compound host country (0: none)
}

// countries are the country locations, in id order after the region node.
var countries = []country{
	{"KH", "Cambodia", "Cambodian", true, 40},
	{"MM", "Myanmar", "Myanmar", true, 25},
	{"LA", "Laos", "Lao", true, 10},
	{"TH", "Thailand", "Thai", true, 4},
	{"PH", "Philippines", "Filipino", true, 12},
	{"VN", "Vietnam", "Vietnamese", true, 2},
	{"MY", "Malaysia", "Malaysian", true, 3},
	{"ID", "Indonesia", "Indonesian", true, 2},
	{"CN", "China", "Chinese", false, 0},
	{"IN", "India", "Indian", false, 0},
	{"TW", "Taiwan", "Taiwanese", false, 0},
	{"KR", "South Korea", "South Korean", false, 0},
	{"LK", "Sri Lanka", "Sri Lankan", false, 0},
	{"NP", "Nepal", "Nepali", false, 0},
	{"BD", "Bangladesh", "Bangladeshi", false, 0},
	{"PK", "Pakistan", "Pakistani", false, 0},
	{"KE", "Kenya", "Kenyan", false, 0},
	{"ET", "Ethiopia", "Ethiopian", false, 0},
	{"UG", "Uganda", "Ugandan", false, 0},
	{"US", "United States", "American", false, 0},
	{"GB", "United Kingdom", "British", false, 0},
	{"HK", "Hong Kong", "Hong Kong", false, 0},
	{"SG", "Singapore", "Singaporean", true, 0},
	{"VG", "British Virgin Islands", "BVI", false, 0},
	{"SC", "Seychelles", "Seychellois", false, 0},
	{"AE", "United Arab Emirates", "Emirati", false, 0},
}

func countryIndex(code string) int {
	for i, c := range countries {
		if c.code == code {
			return i
		}
	}
	panic("generate: unknown country " + code)
}

// victimNationalities weights the nationalities of trafficked workers.
var victimNationalities = []struct {
	code string
	w    int
}{
	{"ID", 14}, {"IN", 12}, {"CN", 12}, {"VN", 10}, {"PH", 8}, {"MM", 6}, {"TH", 6},
	{"KE", 4}, {"ET", 3}, {"UG", 2}, {"LK", 3}, {"NP", 3}, {"BD", 3}, {"PK", 3},
	{"MY", 4}, {"TW", 4}, {"KR", 3},
}

type place struct {
	name, typ, cc, parent string // parent: "" for the country, else a place name
	hub                   int    // weight as a compound site
}

// places are the provinces, cities and border areas where compounds cluster.
var places = []place{
	{"Preah Sihanouk", "province", "KH", "", 30},
	{"Sihanoukville", "city", "KH", "Preah Sihanouk", 60},
	{"Phnom Penh", "city", "KH", "", 25},
	{"Svay Rieng", "province", "KH", "", 5},
	{"Bavet", "city", "KH", "Svay Rieng", 25},
	{"Banteay Meanchey", "province", "KH", "", 4},
	{"Poipet", "city", "KH", "Banteay Meanchey", 15},
	{"Koh Kong", "province", "KH", "", 8},
	{"Pursat", "province", "KH", "", 3},
	{"Kampot", "province", "KH", "", 4},
	{"Oddar Meanchey", "province", "KH", "", 4},
	{"Kandal", "province", "KH", "", 5},
	{"Kayin State", "province", "MM", "", 10},
	{"Myawaddy", "city", "MM", "Kayin State", 30},
	{"Shwe Kokko", "border_area", "MM", "Kayin State", 30},
	{"Shan State", "province", "MM", "", 8},
	{"Tachileik", "city", "MM", "Shan State", 12},
	{"Laukkaing", "city", "MM", "Shan State", 15},
	{"Yangon", "city", "MM", "", 2},
	{"Bokeo", "province", "LA", "", 5},
	{"Golden Triangle Special Economic Zone", "border_area", "LA", "Bokeo", 25},
	{"Vientiane", "city", "LA", "", 2},
	{"Tak", "province", "TH", "", 3},
	{"Mae Sot", "city", "TH", "Tak", 6},
	{"Chiang Rai", "province", "TH", "", 3},
	{"Bangkok", "city", "TH", "", 2},
	{"Pampanga", "province", "PH", "", 8},
	{"Tarlac", "province", "PH", "", 4},
	{"Bamban", "city", "PH", "Tarlac", 10},
	{"Metro Manila", "region", "PH", "", 10},
	{"Cavite", "province", "PH", "", 4},
	{"Tay Ninh", "province", "VN", "", 2},
	{"Ho Chi Minh City", "city", "VN", "", 1},
	{"Kuala Lumpur", "city", "MY", "", 2},
	{"Sabah", "province", "MY", "", 1},
	{"Batam", "city", "ID", "", 2},
	{"Jakarta", "city", "ID", "", 0},
	{"Yunnan", "province", "CN", "", 0},
	{"Fujian", "province", "CN", "", 0},
	{"Beijing", "city", "CN", "", 0},
	{"New Delhi", "city", "IN", "", 0},
	{"Washington, D.C.", "city", "US", "", 0},
	{"London", "city", "GB", "", 0},
}

func placeIndex(name string) int {
	for i, p := range places {
		if p.name == name {
			return i
		}
	}
	panic("generate: unknown place " + name)
}

type org struct {
	name, typ, cc string
	parent        string // the fixed organisation it is PART_OF ("" none)
	seat          string // place it is LOCATED_IN ("" the country)
	represents    string // for embassies: the country code represented
}

// fixedOrgs are the governments, ministries, agencies, embassies and NGOs
// that everything else hangs from: the organisation super-nodes.
var fixedOrgs = buildFixedOrgs()

func buildFixedOrgs() []org {
	var out []org
	for _, cc := range []string{"KH", "MM", "LA", "TH", "PH"} {
		c := countries[countryIndex(cc)]
		gov := "Government of " + c.name
		out = append(out,
			org{gov, "government", cc, "", "", ""},
			org{"Ministry of Interior (" + c.name + ")", "ministry", cc, gov, "", ""},
			org{"Ministry of Foreign Affairs (" + c.name + ")", "ministry", cc, gov, "", ""},
			org{"Ministry of Justice (" + c.name + ")", "ministry", cc, gov, "", ""},
			org{c.demonym + " National Police", "police", cc, "Ministry of Interior (" + c.name + ")", "", ""},
			org{"Supreme Court of " + c.name, "court", cc, gov, "", ""},
			org{"Office of the Prosecutor General (" + c.name + ")", "prosecutor", cc, "Ministry of Justice (" + c.name + ")", "", ""},
		)
	}
	for _, cc := range []string{"CN", "IN", "ID", "VN", "MY", "KR", "TW"} {
		c := countries[countryIndex(cc)]
		gov := "Government of " + c.name
		out = append(out,
			org{gov, "government", cc, "", "", ""},
			org{"Ministry of Foreign Affairs (" + c.name + ")", "ministry", cc, gov, "", ""},
			org{c.demonym + " National Police", "police", cc, gov, "", ""},
		)
	}
	out = append(out,
		org{"US Department of the Treasury, Office of Foreign Assets Control", "government", "US", "", "Washington, D.C.", ""},
		org{"US Department of Justice", "prosecutor", "US", "", "Washington, D.C.", ""},
		org{"US District Court, Eastern District of New York", "court", "US", "US Department of Justice", "", ""},
		org{"UK Foreign, Commonwealth and Development Office", "ministry", "GB", "", "London", ""},
		org{"UN Office on Drugs and Crime", "un_agency", "TH", "", "Bangkok", ""},
		org{"International Organization for Migration", "un_agency", "TH", "", "Bangkok", ""},
		org{"UN Human Rights Office (OHCHR)", "un_agency", "TH", "", "Bangkok", ""},
		org{"INTERPOL", "intergovernmental", "SG", "", "", ""},
		org{"ASEAN Secretariat", "intergovernmental", "ID", "", "Jakarta", ""},
		org{"International Justice Mission", "ngo", "PH", "", "Metro Manila", ""},
		org{"Global Anti-Scam Organization", "ngo", "TW", "", "", ""},
		org{"Licadho", "ngo", "KH", "", "Phnom Penh", ""},
	)
	// Embassies in Phnom Penh, Bangkok and Yangon for every victim nationality.
	for _, host := range []struct{ cc, city string }{{"KH", "Phnom Penh"}, {"TH", "Bangkok"}, {"MM", "Yangon"}} {
		for _, vn := range victimNationalities {
			if vn.code == host.cc {
				continue
			}
			c := countries[countryIndex(vn.code)]
			gov := "Government of " + c.name
			parent := ""
			for _, o := range out {
				if o.name == "Ministry of Foreign Affairs ("+c.name+")" {
					parent = o.name
				}
			}
			if parent == "" && hasOrg(out, gov) {
				parent = gov
			}
			out = append(out, org{"Embassy of " + c.name + " in " + host.city, "embassy", host.cc, parent, host.city, vn.code})
		}
	}
	return out
}

func hasOrg(l []org, name string) bool {
	for _, o := range l {
		if o.name == name {
			return true
		}
	}
	return false
}

// bigSources are the handful of reports everything cites: the source
// super-nodes.
var bigSources = []struct {
	name, publisher, typ, published, title string
}{
	{"UNODC: casinos, money laundering and underground banking in Southeast Asia", "UN Office on Drugs and Crime", "ngo_report", "2024-01-15", "Casinos, Money Laundering, Underground Banking, and Transnational Organized Crime in East and Southeast Asia"},
	{"OHCHR: online scam operations and trafficking into forced criminality", "UN Human Rights Office (OHCHR)", "ngo_report", "2023-08-29", "Online Scam Operations and Trafficking into Forced Criminality in Southeast Asia"},
	{"OFAC designates a transnational criminal organization behind scam compounds", "US Department of the Treasury", "sanction", "2025-10-14", ""},
	{"UK sanctions scam-centre network", "UK Foreign, Commonwealth and Development Office", "sanction", "2025-10-14", ""},
	{"US DOJ unseals indictment over forced-labour scam compounds", "US Department of Justice", "indictment", "2025-10-14", ""},
	{"Amnesty International: slavery and torture in Cambodian scam compounds", "Amnesty International", "ngo_report", "2025-06-26", "I Was Someone Else's Property"},
	{"USIP: transnational crime in Southeast Asia, a growing threat", "United States Institute of Peace", "ngo_report", "2024-05-13", ""},
}

var newsPublishers = []string{"AFP", "Reuters", "Radio Free Asia", "Associated Press", "The Guardian", "BBC News",
	"Nikkei Asia", "South China Morning Post", "The Irrawaddy", "CamboJA News", "VOD English", "Rappler",
	"Khmer Times", "Bangkok Post", "The Diplomat", "Al Jazeera", "ProPublica", "ICIJ", "Frontier Myanmar",
	"Hindustan Times", "Jakarta Post", "Kyodo News", "Taipei Times", "Korea Herald", "The Standard (Kenya)"}

var sanctionPublishers = []string{"US Department of the Treasury", "UK Foreign, Commonwealth and Development Office", "European Union", "Government of Canada"}
var indictmentPublishers = []string{"US Department of Justice", "US Attorney's Office, EDNY", "Philippine Department of Justice", "Cambodian Ministry of Justice"}
var govPublishers = []string{"Cambodian Ministry of Interior", "Royal Thai Police", "Philippine Presidential Anti-Organized Crime Commission", "Indonesian Ministry of Foreign Affairs", "Indian Ministry of External Affairs", "Chinese Ministry of Public Security"}
var ngoPublishers = []string{"International Justice Mission", "Global Anti-Scam Organization", "Licadho", "Humanity Research Consultancy", "Justice for Myanmar", "Global Initiative Against Transnational Organized Crime"}

// Name parts. Chinese names carry their Hanzi for aliases.
var zhSurnames = [][2]string{{"Chen", "陈"}, {"Wang", "王"}, {"Li", "李"}, {"Zhang", "张"}, {"Liu", "刘"}, {"Huang", "黄"},
	{"Zhao", "赵"}, {"Wu", "吴"}, {"Zhou", "周"}, {"Xu", "徐"}, {"Sun", "孙"}, {"Ma", "马"}, {"Zhu", "朱"}, {"Hu", "胡"},
	{"Guo", "郭"}, {"He", "何"}, {"Lin", "林"}, {"Luo", "罗"}, {"Zheng", "郑"}, {"Liang", "梁"}, {"Xie", "谢"},
	{"Song", "宋"}, {"Tang", "唐"}, {"Han", "韩"}, {"Feng", "冯"}, {"Deng", "邓"}, {"Cao", "曹"}, {"Peng", "彭"}}
var zhGiven = [][2]string{{"Wei", "伟"}, {"Jun", "军"}, {"Hao", "浩"}, {"Ming", "明"}, {"Jian", "建"}, {"Qiang", "强"},
	{"Lei", "磊"}, {"Yang", "洋"}, {"Bin", "斌"}, {"Tao", "涛"}, {"Hui", "辉"}, {"Jie", "杰"}, {"Kai", "凯"},
	{"Long", "龙"}, {"Xiang", "翔"}, {"Yong", "勇"}, {"Zhen", "振"}, {"Dong", "东"}, {"Gang", "刚"}, {"Hong", "宏"},
	{"Jin", "金"}, {"Ping", "平"}, {"Qing", "清"}, {"Rui", "瑞"}, {"Sheng", "胜"}, {"Wen", "文"}, {"Xin", "鑫"}, {"Yu", "宇"}}
var khSurnames = []string{"Sok", "Chan", "Sar", "Ly", "Kim", "Touch", "Heng", "Chea", "Keo", "Meas", "Prak", "Ouk", "Pich", "Sim", "Yim", "Tep", "Seng", "Nuon"}
var khGiven = []string{"Sokha", "Vichea", "Dara", "Sophal", "Rithy", "Bunthoeun", "Sovann", "Pisey", "Chanthy", "Kosal", "Vanna", "Sothea", "Piseth", "Rathana", "Sopheak", "Kimsan", "Visal", "Samnang"}
var mmSyll = []string{"Aung", "Myint", "Kyaw", "Zaw", "Htun", "Win", "Thein", "Soe", "Naing", "Tun", "Hla", "Maung", "Min", "Oo", "Thant", "Lwin", "Khin", "Nyunt"}
var thGiven = []string{"Somchai", "Anan", "Prasit", "Kittisak", "Wichai", "Supachai", "Niran", "Thanakorn", "Apinya", "Siriporn", "Pornchai", "Chatchai"}
var thSurnames = []string{"Srisuk", "Chaiyaporn", "Wongsakul", "Rattanakorn", "Boonmee", "Saetang", "Kaewkla", "Sukprasert", "Thongdee", "Phromma"}
var phGiven = []string{"Jose", "Maria", "Alice", "Roberto", "Mark", "Angelo", "Carmela", "Ramon", "Cristina", "Dennis", "Lorna", "Edwin"}
var phSurnames = []string{"Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Ramos", "Villanueva", "Dela Cruz", "Aquino", "Castillo", "Navarro"}

var brandParts = []string{"Jin", "Long", "Hua", "Xin", "Bao", "Fu", "Hong", "Tian", "Da", "Wan", "Sheng", "Kai", "Yong", "Ding", "Hao", "Feng", "Rui", "Tai", "Heng", "Xing"}
var brandSuffixes = []string{"bei", "wan", "sheng", "tai", "yuan", "long", "fa", "hui", "xiang", "an", "li", "kang"}
var companyNouns = []string{"Investment", "Real Estate", "Development", "Trading", "Technology", "Entertainment", "Hospitality",
	"Logistics", "Security Services", "Payment Services", "Construction", "Tourism", "Resort", "Digital", "Holdings"}
var shellWords = []string{"Pacific", "Orient", "Harbour", "Summit", "Crown", "Pearl", "Jade", "Silver", "Golden", "Star",
	"Lotus", "Phoenix", "Dragon", "Emerald", "Royal", "Grand", "Unity", "Apex", "Everbright", "Sunrise"}
var shellSuffix = []string{"Holdings Ltd", "International Ltd", "Ventures Ltd", "Capital Ltd", "Global Inc", "Trading Ltd", "Group Ltd"}
var compoundWords = []string{"Park", "Compound", "Plaza", "Resort", "Industrial Park", "Garden", "Tower", "City", "Casino Complex", "Building"}
var districtParts = []string{"Ou", "Krang", "Prey", "Boeng", "Stueng", "Tuol", "Phum", "Kampong", "Chamkar", "Sangkat", "Ban", "Nong", "Huai", "Mae", "Wat"}
var districtSuffix = []string{"Chrey", "Thmey", "Tbong", "Leu", "Kraom", "Chas", "Sokha", "Loung", "Kaeo", "Tai", "Nuea", "Yai"}

var officialPositions = map[string][]string{
	"government": {"Secretary of State", "Under-Secretary of State", "Government Adviser", "Provincial Governor", "Deputy Provincial Governor"},
	"ministry":   {"Minister", "Secretary of State", "Spokesman", "Director-General", "Deputy Director-General", "Under-Secretary of State"},
	"police":     {"Police Commissioner", "Provincial Police Chief", "Deputy Police Chief", "Immigration Police Chief", "Anti-Trafficking Unit Commander"},
	"court":      {"Judge", "Chief Judge", "Investigating Judge"},
	"prosecutor": {"Prosecutor", "Deputy Prosecutor General"},
	"military":   {"Border Guard Commander", "Militia Commander", "Colonel"},
}

var chargeNames = []string{"human trafficking", "money laundering", "fraud", "illegal detention", "running scam compounds",
	"wire fraud conspiracy", "forced labour", "organised crime", "illegal gambling", "torture", "bribery"}

var eventTitles = map[string]string{
	"raid": "Raid on", "arrest": "Arrest of", "charge": "Charges against", "indictment": "Indictment of",
	"conviction": "Conviction of", "sanction": "Sanctions designation of", "extradition": "Extradition of",
	"deportation": "Deportation of", "rescue": "Rescue of", "release": "Release of", "repatriation": "Repatriation of",
	"protest": "Protest by", "crackdown": "Crackdown on", "closure": "Closure of",
}

var monthNames = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

var vnSurnames = []string{"Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui", "Do", "Ngo"}
var vnGiven = []string{"Van Minh", "Thi Lan", "Duc Anh", "Quang Huy", "Thanh Tung", "Hoang Nam", "Thi Hoa", "Van Long"}
var idGiven = []string{"Budi", "Agus", "Siti", "Dewi", "Rizky", "Andi", "Putri", "Eko", "Wahyu", "Indah"}
var idSurnames = []string{"Santoso", "Wijaya", "Hidayat", "Saputra", "Nugroho", "Pratama", "Setiawan", "Kurniawan"}
var inGiven = []string{"Rajesh", "Amit", "Priya", "Sunil", "Anjali", "Vikram", "Ravi", "Deepak", "Pooja", "Arjun"}
var inSurnames = []string{"Sharma", "Kumar", "Singh", "Patel", "Gupta", "Nair", "Reddy", "Das", "Iyer", "Verma"}
