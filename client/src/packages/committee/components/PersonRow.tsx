import { View } from '@tarojs/components'
import type { Person, VillageKind } from '@liren/shared/contracts'
import { ageOn, GENDER_LABEL, PERSON_STATUS_LABEL, placeWords } from '@liren/shared/rules'

/** One person in a list: name with their tags, then gender, age and household. Tapping opens them. */
export function PersonRow(props: {
  person: Person
  kind: VillageKind
  today: string
  onTap: () => void
  withHousehold?: boolean
}) {
  const { person } = props
  const facts = [
    GENDER_LABEL[person.gender],
    person.status === 'deceased'
      ? `${person.birthDate.slice(0, 4)} 年生`
      : `${ageOn(person.birthDate, props.today)} 岁`,
    props.withHousehold === false ? person.relation : `户号 ${person.householdNumber}（${person.relation}）`,
  ]
  return (
    <View className='lr-list-item person-row' onClick={props.onTap}>
      <View className='lr-row'>
        <View className='lr-list-item__title person-row__name'>{person.name}</View>
        <PersonBadges person={person} kind={props.kind} />
      </View>
      <View className='lr-muted'>{facts.join(' · ')}</View>
      <View className='lr-list-item__arrow'>›</View>
    </View>
  )
}

export function PersonBadges({ person, kind }: { person: Person; kind: VillageKind }) {
  return (
    <>
      {person.status !== 'resident' ? (
        <View className='lr-badge lr-badge--grey'>{PERSON_STATUS_LABEL[person.status]}</View>
      ) : null}
      {person.representative ? <View className='lr-badge lr-badge--blue'>{placeWords(kind).member}代表</View> : null}
      {person.partyMember ? <View className='lr-badge lr-badge--red'>党员</View> : null}
      {/* Linked to an app account: can take part online, not only through the committee. */}
      {person.membershipId ? <View className='lr-badge lr-badge--green person-badge--app'>用里仁</View> : null}
    </>
  )
}
