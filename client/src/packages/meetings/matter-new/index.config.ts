export default definePageConfig({ navigationBarTitleText: '新增重大事项' })
