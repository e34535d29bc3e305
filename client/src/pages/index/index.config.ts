export default definePageConfig({ navigationBarTitleText: '里仁' })
