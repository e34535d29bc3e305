export default definePageConfig({ navigationBarTitleText: '选择村（居）委会成员' })
