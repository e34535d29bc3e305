import { View } from '@tarojs/components'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Person } from '@liren/shared/contracts'
import { listPeople } from '../services/roster'
import './PersonPicker.css'

/** Finds a villager on the roster by name, household number or address, and picks one. */
export function PersonPicker(props: {
  villageId: number
  value: Person | null
  onChange: (person: Person | null) => void
  className?: string
}) {
  const [q, setQ] = useState('')
  const [found, setFound] = useState<Person[] | null>(null)

  async function search() {
    const text = q.trim()
    if (!text) return
    try {
      setFound((await listPeople(props.villageId, { q: text, status: 'resident', limit: 20 })).people)
    } catch {
      // http.ts has shown why.
    }
  }

  if (props.value) {
    const person = props.value
    return (
      <View className={`person-picker person-picker--chosen ${props.className ?? ''}`}>
        <View className='person-picker__chosen'>
          <View className='person-picker__name'>{person.name}</View>
          <View className='lr-muted'>
            {person.birthDate.slice(0, 4)} 年生 · 户号 {person.householdNumber}（{person.relation}）
          </View>
        </View>
        <Button size='large' fill='outline' className='person-picker__change' onClick={() => props.onChange(null)}>
          换一个
        </Button>
      </View>
    )
  }

  return (
    <View className={`person-picker ${props.className ?? ''}`}>
      <View className='person-picker__search'>
        <Input
          className='lr-input person-picker__input'
          placeholder='姓名、户号或住址'
          value={q}
          maxLength={20}
          confirmType='search'
          onChange={(value: string) => setQ(value)}
          onConfirm={search}
        />
        <Button type='primary' size='large' className='person-picker__search-button' onClick={search}>
          查找
        </Button>
      </View>
      {found !== null && found.length === 0 ? (
        <View className='lr-muted person-picker__none'>花名册里没有找到，换个字试试。</View>
      ) : null}
      {found?.map((person) => (
        <View key={person.id} className='lr-list-item person-picker__option' onClick={() => props.onChange(person)}>
          <View className='lr-list-item__title'>{person.name}</View>
          <View className='lr-muted'>
            {person.birthDate.slice(0, 4)} 年生 · 户号 {person.householdNumber}（{person.relation}）
          </View>
          <View className='lr-list-item__arrow'>›</View>
        </View>
      ))}
    </View>
  )
}
