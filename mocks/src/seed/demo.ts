import type { Role, VillageKind } from '@liren/shared/contracts'

/** The demo town a person trying Liren signs in to. Openids start with `demo-` (the H5 identity picker lists them). */
export interface DemoPerson {
  name: string
  gender: 'male' | 'female'
  birthDate: string
  relation: string
  representative?: boolean
  partyMember?: boolean
  /** Household numbers this representative speaks for. */
  represents?: string[]
}

export interface DemoHousehold {
  number: string
  address: string
  grid: string
  people: DemoPerson[]
}

/** An app user. Verified members are linked to the roster person of the same name in their household. */
export interface DemoMember {
  openid: string
  realName: string
  birthYear: number
  household: string
  status: 'pending' | 'verified'
  roles: Role[]
}

export interface DemoVillage {
  code: string
  name: string
  kind: VillageKind
  /** The committee's office phone and hours, as the village's people see them. */
  committeePhone?: string
  officeHours?: string
  grids: string[]
  /** Grid name → openids of its grid workers. */
  gridWorkers?: Record<string, string[]>
  households: DemoHousehold[]
  members: DemoMember[]
}

export interface DemoTown {
  code: string
  name: string
  villages: DemoVillage[]
}

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '周', '吴', '孙']
const MEN = ['建军', '国强', '志刚', '德明', '永福', '海涛', '春生', '宏伟', '文斌', '立新']
const WOMEN = ['秀英', '桂兰', '玉珍', '春梅', '凤霞', '淑芬', '丽华', '金花', '晓燕', '红梅']
const pad = (n: number) => String(n).padStart(2, '0')

/** A deterministic village of `count` ordinary households (head, spouse, one or two children). */
function ordinaryHouseholds(
  prefix: string,
  place: string,
  grids: string[],
  first: number,
  count: number,
): DemoHousehold[] {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i
    const surname = SURNAMES[n % SURNAMES.length]!
    const headYear = 1950 + ((n * 7) % 40)
    const people: DemoPerson[] = [
      {
        name: `${surname}${MEN[n % MEN.length]}`,
        gender: 'male',
        birthDate: `${headYear}-${pad((n % 12) + 1)}-${pad((n % 27) + 1)}`,
        relation: '户主',
      },
      {
        name: `${SURNAMES[(n + 3) % SURNAMES.length]}${WOMEN[n % WOMEN.length]}`,
        gender: 'female',
        birthDate: `${headYear + 2}-${pad(((n + 5) % 12) + 1)}-${pad(((n + 9) % 27) + 1)}`,
        relation: '配偶',
      },
    ]
    if (n % 3 !== 0) {
      const childYear = headYear + 26 + (n % 9)
      people.push({
        name: `${surname}${n % 2 ? WOMEN[(n + 4) % WOMEN.length] : MEN[(n + 6) % MEN.length]}`,
        gender: n % 2 ? 'female' : 'male',
        birthDate: `${childYear}-${pad(((n + 2) % 12) + 1)}-${pad(((n + 4) % 27) + 1)}`,
        relation: '子女',
      })
    }
    return {
      number: `${prefix}-${String(n).padStart(3, '0')}`,
      address: `${place}${(n % 4) + 1}组 ${n} 号`,
      grid: grids[n % grids.length]!,
      people,
    }
  })
}

const zhangjiaGrids = ['一组网格', '二组网格']
const zhangjiaHouseholds: DemoHousehold[] = [
  {
    number: 'ZJ-001',
    address: '张家村一组 3 号',
    grid: '一组网格',
    people: [
      { name: '王建国', gender: 'male', birthDate: '1968-04-12', relation: '户主', partyMember: true },
      { name: '刘桂芳', gender: 'female', birthDate: '1970-09-03', relation: '配偶' },
      { name: '王小雨', gender: 'female', birthDate: '2008-11-22', relation: '子女' },
    ],
  },
  {
    number: 'ZJ-002',
    address: '张家村一组 8 号',
    grid: '一组网格',
    people: [{ name: '李梅', gender: 'female', birthDate: '1982-06-18', relation: '户主', partyMember: true }],
  },
  {
    number: 'ZJ-003',
    address: '张家村二组 12 号',
    grid: '二组网格',
    people: [
      {
        name: '张秀兰',
        gender: 'female',
        birthDate: '1956-02-07',
        relation: '户主',
        representative: true,
        represents: ['ZJ-003', 'ZJ-004', 'ZJ-005', 'ZJ-010', 'ZJ-011', 'ZJ-012', 'ZJ-013', 'ZJ-014'],
      },
    ],
  },
  {
    number: 'ZJ-004',
    address: '张家村二组 15 号',
    grid: '二组网格',
    people: [
      {
        name: '赵德胜',
        gender: 'male',
        birthDate: '1965-01-30',
        relation: '户主',
        representative: true,
        represents: ['ZJ-015', 'ZJ-016', 'ZJ-017', 'ZJ-018', 'ZJ-019', 'ZJ-020', 'ZJ-021', 'ZJ-022'],
      },
      { name: '赵小明', gender: 'male', birthDate: '1995-05-05', relation: '子女' },
    ],
  },
  {
    number: 'ZJ-005',
    address: '张家村二组 21 号',
    grid: '二组网格',
    people: [{ name: '孙福来', gender: 'male', birthDate: '1949-10-01', relation: '户主' }],
  },
  {
    number: 'ZJ-006',
    address: '张家村一组 30 号',
    grid: '一组网格',
    people: [
      { name: '周涛', gender: 'male', birthDate: '1975-03-15', relation: '户主', partyMember: true },
      {
        name: '陈玉兰',
        gender: 'female',
        birthDate: '1977-12-01',
        relation: '配偶',
        representative: true,
        represents: ['ZJ-001', 'ZJ-002', 'ZJ-006', 'ZJ-023', 'ZJ-024', 'ZJ-025', 'ZJ-026', 'ZJ-027'],
      },
    ],
  },
  ...ordinaryHouseholds('ZJ', '张家村', zhangjiaGrids, 10, 30),
]

export const demoTown: DemoTown = {
  code: 'qingshan',
  name: '青山镇',
  villages: [
    {
      code: 'zhangjia',
      name: '张家村',
      kind: 'rural',
      committeePhone: '0571-63581234',
      officeHours: '周一至周五 8:30-17:00',
      grids: zhangjiaGrids,
      gridWorkers: { 一组网格: ['demo-zhangjia-grid'], 二组网格: ['demo-zhangjia-grid'] },
      households: zhangjiaHouseholds,
      members: [
        {
          openid: 'demo-zhangjia-committee',
          realName: '王建国',
          birthYear: 1968,
          household: 'ZJ-001',
          status: 'verified',
          roles: ['resident', 'committee'],
        },
        {
          openid: 'demo-zhangjia-grid',
          realName: '李梅',
          birthYear: 1982,
          household: 'ZJ-002',
          status: 'verified',
          roles: ['resident', 'grid_worker'],
        },
        {
          openid: 'demo-zhangjia-resident',
          realName: '张秀兰',
          birthYear: 1956,
          household: 'ZJ-003',
          status: 'verified',
          roles: ['resident'],
        },
        {
          openid: 'demo-zhangjia-volunteer',
          realName: '赵小明',
          birthYear: 1995,
          household: 'ZJ-004',
          status: 'verified',
          roles: ['resident', 'volunteer'],
        },
        {
          openid: 'demo-zhangjia-applicant',
          realName: '孙福来',
          birthYear: 1949,
          household: 'ZJ-005',
          status: 'pending',
          roles: [],
        },
        {
          openid: 'demo-town-admin',
          realName: '周涛',
          birthYear: 1975,
          household: 'ZJ-006',
          status: 'verified',
          roles: ['town_admin'],
        },
      ],
    },
    {
      code: 'heping',
      name: '和平社区',
      kind: 'urban',
      committeePhone: '0571-88062345',
      officeHours: '周一至周六 9:00-18:00',
      grids: ['第一网格'],
      gridWorkers: {},
      households: [
        {
          number: 'HP-101',
          address: '和平社区 1 栋 101 室',
          grid: '第一网格',
          people: [
            {
              name: '陈静',
              gender: 'female',
              birthDate: '1979-08-08',
              relation: '户主',
              representative: true,
              represents: ['HP-101', 'HP-202'],
            },
          ],
        },
        {
          number: 'HP-202',
          address: '和平社区 2 栋 202 室',
          grid: '第一网格',
          people: [
            { name: '刘洋', gender: 'male', birthDate: '1990-07-21', relation: '户主' },
            { name: '周敏', gender: 'female', birthDate: '1992-03-09', relation: '配偶' },
          ],
        },
      ],
      members: [
        {
          openid: 'demo-heping-committee',
          realName: '陈静',
          birthYear: 1979,
          household: 'HP-101',
          status: 'verified',
          roles: ['resident', 'committee'],
        },
        {
          openid: 'demo-heping-resident',
          realName: '刘洋',
          birthYear: 1990,
          household: 'HP-202',
          status: 'verified',
          roles: ['resident'],
        },
        // Lives in 张家村, administers the town: a member of both places, with no roster person here.
        {
          openid: 'demo-town-admin',
          realName: '周涛',
          birthYear: 1975,
          household: 'HP-101',
          status: 'verified',
          roles: ['town_admin'],
        },
      ],
    },
  ],
}
