import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Person, PersonPatch, RetirePersonBody, VillageKind, VillageMember } from '@liren/shared/contracts'
import { ageOn, can, GENDER_LABEL, MAX_AGE, PERSON_STATUS_LABEL, placeWords, RELATIONS } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { DateTimeField } from '../../../components/DateTimeField'
import { ChoiceField } from '../../../components/Choices'
import { Fact, Facts } from '../../../components/Facts'
import { InputField } from '../../../components/InputField'
import { ListLink } from '../../../components/ListLink'
import { NotReady } from '../../../components/LoadFailed'
import { EditFormActions, LinkButton, Page } from '../../../components/Page'
import { formatDate, shanghaiToday } from '../../../lib/format'
import { draftFields } from '../../../lib/form-text'
import { usePageData, useSubmit } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { getPerson, linkMemberToPerson, retirePerson, updatePerson } from '../../../services/roster'
import { listVillageMembers } from '../../../services/setup'
import { PersonBadges } from '../components/PersonRow'
import { rosterPaths } from '../paths'
import { draftOf, PERSON_FIELDS, personPatch, validatePerson, type PersonDraft, type PersonErrors } from './validate'
import './index.css'
import { SwitchCell } from '../../../components/SwitchCell'

type Retirement = RetirePersonBody['status']

/** A change waiting for the committee member's "yes". */
type Pending = { kind: 'retire'; status: Retirement } | { kind: 'reinstate' } | { kind: 'link'; member: VillageMember }

const GENDER_CHOICES = [
  { value: 'male' as const, label: GENDER_LABEL.male },
  { value: 'female' as const, label: GENDER_LABEL.female },
]

const RETIREMENTS: readonly Retirement[] = ['moved_out', 'deceased']

export default function PersonPage() {
  const { villageId, membership } = useVillageMembership()
  const personId = Number(useRouter().params.personId)
  const today = shanghaiToday()
  const { data, reload, set: show } = usePageData(() => getPerson(villageId, personId, true))
  const [draft, setDraft] = useState<PersonDraft | null>(null)
  const form = useSubmit(PERSON_FIELDS, (patch: PersonPatch, { handled }) =>
    updatePerson(villageId, personId, patch, handled),
  )
  const { errors } = form
  const { text, choice } = draftFields(draft, setDraft, errors)
  const [pending, setPending] = useState<Pending | null>(null)
  const [members, setMembers] = useState<VillageMember[] | null>(null)

  /** Saves a change; the page shows the person as the server has them afterwards. */
  async function save(patch: PersonPatch | null, done: string, found: PersonErrors = {}): Promise<boolean> {
    const person = await form.submit(patch, found)
    if (!person) return false
    show(person)
    void Taro.showToast({ title: done, icon: 'none', duration: 2000 })
    return true
  }

  async function submit(person: Person) {
    if (!draft) return
    const found = validatePerson(draft, today)
    const valid = !Object.values(found).some(Boolean)
    const patch = valid ? personPatch(person, draft) : null
    if (valid && !patch) return setDraft(null)
    if (await save(patch, '已保存', found)) setDraft(null)
  }

  async function confirmPending() {
    if (!pending || data.state !== 'ready') return
    const person = data.value
    if (pending.kind === 'retire') {
      try {
        show(await retirePerson(villageId, personId, pending.status, ['PERSON_RETIRED']))
        void Taro.showToast({ title: `已登记${PERSON_STATUS_LABEL[pending.status]}`, icon: 'none', duration: 2000 })
      } catch (error) {
        // Someone else registered it meanwhile: show the person as they are now.
        if (error instanceof ApiError && error.code === 'PERSON_RETIRED') await reload()
      }
    } else if (pending.kind === 'reinstate') {
      await save({ status: 'resident' }, '已改回在册')
    } else {
      try {
        await linkMemberToPerson(villageId, pending.member.membershipId, person.id)
        void Taro.showToast({ title: `已关联${pending.member.realName}的账号`, icon: 'none', duration: 2000 })
        setMembers(null)
        await reload()
      } catch {
        // http.ts has shown why (e.g. the account is already linked to someone else).
      }
    }
    setPending(null)
  }

  async function chooseAccount() {
    try {
      const all = await listVillageMembers(villageId)
      setMembers(all.filter((m) => m.personId === null))
    } catch {
      // shown by http.ts
    }
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const person = data.value
  const kind: VillageKind = membership?.villageKind ?? 'rural'
  const words = placeWords(kind)
  const canEdit = can(membership, 'roster.edit')
  // Moved out or deceased: a record only, no account to link.
  const retired = person.status !== 'resident'
  const relations: readonly string[] = RELATIONS.includes(person.relation as (typeof RELATIONS)[number])
    ? RELATIONS
    : [...RELATIONS, person.relation]

  return (
    <Page className='person'>
      <View className='lr-row person__title'>
        <View className='lr-heading person__name'>{person.name}</View>
        <PersonBadges person={person} kind={kind} />
      </View>

      {draft ? (
        <Card title='修改信息' className='person__form'>
          <InputField label='姓名' maxLength={20} {...text('name', 'person__input--name')} />
          <ChoiceField label='性别' choices={GENDER_CHOICES} {...choice('gender')} />
          <DateTimeField
            label='出生日期'
            mode='date'
            className='person__birth'
            error={errors.birthDate}
            start={`${Number(today.slice(0, 4)) - MAX_AGE}-01-01`}
            end={today}
            value={draft.birthDate}
            onChange={(birthDate) => setDraft({ ...draft, birthDate })}
          />
          <ChoiceField
            label='与户主关系'
            choices={relations.map((r) => ({ value: r, label: r }))}
            {...choice('relation')}
          />
          <InputField
            label='联系电话'
            hint='没有可以不填'
            type='tel'
            maxLength={13}
            {...text('phone', 'person__input--phone')}
          />
          <EditFormActions
            form={form}
            className='person__save'
            onSave={() => submit(person)}
            onClose={() => setDraft(null)}
          />
        </Card>
      ) : (
        <Card title='基本信息' className='person__facts'>
          <Facts>
            <Fact label='性别'>{GENDER_LABEL[person.gender]}</Fact>
            <Fact label='出生日期'>
              {formatDate(person.birthDate)}
              {person.status === 'deceased' ? '' : `（${ageOn(person.birthDate, today)} 岁）`}
            </Fact>
            <Fact label='户号'>{person.householdNumber}</Fact>
            <Fact label='与户主关系'>{person.relation}</Fact>
            <Fact label='联系电话'>{person.phone ?? '没有登记'}</Fact>
            <Fact label='状态'>{PERSON_STATUS_LABEL[person.status]}</Fact>
          </Facts>
          <View className='lr-actions'>
            <LinkButton
              size='large'
              fill='outline'
              className='person__household'
              url={rosterPaths.household(villageId, person.householdId)}
            >
              看这一户
            </LinkButton>
            {canEdit ? (
              <Button
                type='primary'
                size='large'
                className='person__edit'
                onClick={() => {
                  setDraft(draftOf(person))
                  form.clear()
                }}
              >
                修改信息
              </Button>
            ) : null}
          </View>
        </Card>
      )}

      <Card title='身份' className='person__roles'>
        <YesOrNo
          editable={canEdit}
          title={`${words.member}代表`}
          switchClassName='person__representative'
          checked={person.representative}
          onChange={(on) =>
            save({ representative: on }, on ? `已设为${words.member}代表` : `已取消${words.member}代表`)
          }
        />
        {person.representative ? (
          <View className='lr-muted person__represented'>
            代表的户：
            {person.representedHouseholds.length
              ? person.representedHouseholds.join('、')
              : '还没有登记（可以在导入的表格里填“代表户”）'}
          </View>
        ) : null}
        <YesOrNo
          editable={canEdit}
          title='党员'
          switchClassName='person__party'
          checked={person.partyMember}
          onChange={(on) => save({ partyMember: on }, on ? '已登记为党员' : '已取消党员登记')}
        />
      </Card>

      {canEdit ? (
        <Card title='迁出 / 去世' className='person__status'>
          {!retired ? (
            <>
              <View className='lr-muted person__status-intro'>
                搬走了点“迁出”，过世了点“去世”。登记以后，统计人数和表决时都不再算这个人。
              </View>
              <View className='lr-actions'>
                {RETIREMENTS.map((status) => (
                  <Button
                    key={status}
                    size='large'
                    fill='outline'
                    className={`person__retire person__retire--${status}`}
                    onClick={() => setPending({ kind: 'retire', status })}
                  >
                    {PERSON_STATUS_LABEL[status]}
                  </Button>
                ))}
              </View>
            </>
          ) : (
            <>
              <View className='lr-text person__status-now'>
                已登记{PERSON_STATUS_LABEL[person.status]}。花名册里留着这个人的记录。
              </View>
              <View className='lr-actions'>
                <Button
                  size='large'
                  fill='outline'
                  className='person__reinstate'
                  onClick={() => setPending({ kind: 'reinstate' })}
                >
                  登记错了，改回在册
                </Button>
              </View>
            </>
          )}
        </Card>
      ) : null}

      <Card title='里仁账号' className='person__account'>
        {person.membershipId ? (
          <View className='lr-text'>已关联：这个人的里仁账号对应花名册里的这一位。</View>
        ) : retired ? (
          <View className='lr-text'>已登记{PERSON_STATUS_LABEL[person.status]}，不关联里仁账号。</View>
        ) : (
          <View className='lr-text'>还没有关联。这个人可能没有用里仁，由{words.committee}或网格员代为办理。</View>
        )}
        {canEdit && !person.membershipId && !retired && members === null ? (
          <View className='lr-actions'>
            <Button size='large' fill='outline' className='person__link' onClick={chooseAccount}>
              关联已认证的账号
            </Button>
          </View>
        ) : null}
        {canEdit && !person.membershipId && !retired && members !== null ? (
          <View className='person__members'>
            {members.length === 0 ? <View className='lr-muted'>所有已认证的账号都已关联了花名册。</View> : null}
            {members.length > 0 ? <View className='lr-muted'>是哪一位的账号？点一下选择：</View> : null}
            {members.map((member) => (
              <ListLink
                key={member.membershipId}
                className='person__member'
                title={member.realName}
                onTap={() => setPending({ kind: 'link', member })}
              />
            ))}
          </View>
        ) : null}
      </Card>

      <ConfirmDialog
        subject={pending}
        title={
          pending?.kind === 'link'
            ? '关联账号'
            : pending?.kind === 'retire'
              ? `登记${PERSON_STATUS_LABEL[pending.status]}`
              : '改回在册'
        }
        confirmText='确定'
        onConfirm={confirmPending}
        onDismiss={() => setPending(null)}
      >
        {(chosen) => (
          <View className='person__dialog-text'>
            {chosen.kind === 'retire' ? (
              <>
                <View className='lr-text'>
                  确定 {person.name} 已经{PERSON_STATUS_LABEL[chosen.status]}了吗？
                </View>
                <View className='lr-muted person__dialog-more'>
                  花名册里留着这个人的记录，但不再算人数、不参加表决，登记的电话会删掉。
                  {person.membershipId
                    ? `这个人在本${words.place}的里仁账号信息也会抹去，和本人退出一样，不能恢复。`
                    : ''}
                </View>
              </>
            ) : null}
            {chosen.kind === 'reinstate' ? (
              <View className='lr-text'>确定把 {person.name} 改回“在册”吗？统计人数和表决时会重新算这个人。</View>
            ) : null}
            {chosen.kind === 'link' ? (
              <View className='lr-text'>
                确定 {chosen.member.realName} 的里仁账号就是花名册里的 {person.name}（{person.birthDate.slice(0, 4)}{' '}
                年生）吗？
              </View>
            ) : null}
          </View>
        )}
      </ConfirmDialog>
    </Page>
  )
}

/** A yes-or-no fact of the person: a switch row for who may change it, else the answer in words. */
function YesOrNo(props: {
  editable: boolean
  title: string
  switchClassName: string
  checked: boolean
  onChange: (on: boolean) => void
}) {
  if (props.editable)
    return (
      <SwitchCell
        className='person__switch-row'
        switchClassName={props.switchClassName}
        title={props.title}
        checked={props.checked}
        onChange={props.onChange}
      />
    )
  return (
    <View className='person__switch-row lr-row'>
      <View className='lr-text'>{props.title}</View>
      <View className='lr-text'>{props.checked ? '是' : '不是'}</View>
    </View>
  )
}
